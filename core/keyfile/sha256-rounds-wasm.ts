// SHA-256 applied to its own 32-byte output many times in a row, as a small WebAssembly module
// built here at first use. The PKCS#12 MAC key of a Sealmail key file takes 600,000 such rounds
// (RFC 7292 appendix B.2 step 6a, key-file-parameters.ts), and they cannot run in parallel:
// each round hashes the one before. In JavaScript a round took about 0.5 µs here (iterated-hash.ts);
// compiled WebAssembly with the state in locals and WebAssembly's own rotate instruction does it
// in about half that (bench/smime.ts: the key-file unlock is in every `seal` and `open`).
//
// The module is emitted from the code below rather than shipped as a binary, so that what runs
// is what is reviewed. Where WebAssembly cannot be compiled (a page whose CSP lacks
// 'wasm-unsafe-eval'), `sha256RoundsInWasm` returns null and the caller stays in JavaScript.
//
// One round, FIPS 180-4 §6.2.2 on a single block: the 8 state words, then the padding of a
// 256-bit message (§5.1.1: a 1 bit, zeros, the length 256), compressed from the initial value.
import { sha256InitialState, sha256RoundConstants } from './sha256-constants.js';

// ---- the few pieces of the WebAssembly binary format (core specification §5) this needs

type Code = number[];

function unsignedLeb(value: number): Code {
  const out: Code = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

function signedLeb(value: number): Code {
  const out: Code = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  eqz: 0x45,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  xor: 0x73,
  shrU: 0x76,
  rotr: 0x78,
} as const;

const get = (local: number): Code => [op.localGet, local];
const set = (local: number): Code => [op.localSet, local];
const constant = (value: number): Code => [op.const, ...signedLeb(value)];
const binary = (opcode: number, ...operands: Code[]): Code =>
  operands.reduce((code, operand, i) => (i === 0 ? [...operand] : [...code, ...operand, opcode]), []);
const add = (...xs: Code[]) => binary(op.add, ...xs);
const xor = (...xs: Code[]) => binary(op.xor, ...xs);
const and = (a: Code, b: Code) => binary(op.and, a, b);
const rotr = (x: Code, n: number): Code => [...x, ...constant(n), op.rotr];
const shr = (x: Code, n: number): Code => [...x, ...constant(n), op.shrU];
const not = (x: Code): Code => [...x, ...constant(-1), op.xor];

// Locals: 0 the round count (the parameter), 1–8 the state, 9–24 the message schedule as a
// ring of 16 words, 25–32 the working variables a…h, 33 T1.
const COUNT = 0;
const STATE = 1;
const W = 9;
const WORK = 25;
const T1 = 33;
const LOCALS = 33;

/** The body of `rounds(count)`: the state is read from and written back to memory[0..32). */
function roundsBody(): Code {
  const body: Code = [];
  for (let i = 0; i < 8; i++) body.push(...constant(0), op.load, 2, ...unsignedLeb(i * 4), ...set(STATE + i));
  body.push(op.block, 0x40, op.loop, 0x40, ...get(COUNT), op.eqz, op.brIf, 1);
  for (let i = 0; i < 8; i++) body.push(...get(STATE + i), ...set(W + i));
  body.push(...constant(0x80000000), ...set(W + 8));
  for (let i = 9; i < 15; i++) body.push(...constant(0), ...set(W + i));
  body.push(...constant(256), ...set(W + 15));
  for (let i = 0; i < 8; i++) body.push(...constant(sha256InitialState[i]!), ...set(WORK + i));
  for (let t = 0; t < 64; t++) {
    if (t >= 16) {
      // §6.2.2 step 1: W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, in a ring of 16.
      const w15 = get(W + ((t - 15) & 15));
      const w2 = get(W + ((t - 2) & 15));
      body.push(
        ...add(
          get(W + (t & 15)),
          xor(rotr(w15, 7), rotr(w15, 18), shr(w15, 3)),
          get(W + ((t - 7) & 15)),
          xor(rotr(w2, 17), rotr(w2, 19), shr(w2, 10)),
        ),
        ...set(W + (t & 15)),
      );
    }
    // Step 3 without moving a…h: the names rotate instead, so round t's "a" is local (−t mod 8).
    const v = (j: number) => WORK + ((j - (t % 8) + 8) % 8);
    const [a, b, c, e, f, g, h] = [0, 1, 2, 4, 5, 6, 7].map((j) => get(v(j)));
    body.push(
      ...add(
        h,
        xor(rotr(e, 6), rotr(e, 11), rotr(e, 25)),
        xor(and(e, f), and(not(e), g)),
        constant(sha256RoundConstants[t]!),
        get(W + (t & 15)),
      ),
      ...set(T1),
      ...add(get(v(3)), get(T1)),
      ...set(v(3)),
      ...add(get(T1), xor(rotr(a, 2), rotr(a, 13), rotr(a, 22)), xor(and(a, b), and(a, c), and(b, c))),
      ...set(v(7)),
    );
  }
  // 64 rounds are a whole number of turns of the names, so a…h are back in their own locals.
  for (let i = 0; i < 8; i++)
    body.push(...add(get(WORK + i), constant(sha256InitialState[i]!)), ...set(STATE + i));
  body.push(...get(COUNT), ...constant(1), op.sub, ...set(COUNT), op.br, 0, op.end, op.end);
  for (let i = 0; i < 8; i++)
    body.push(...constant(0), ...get(STATE + i), op.store, 2, ...unsignedLeb(i * 4));
  body.push(op.end);
  return body;
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: Code): Code => [id, ...unsignedLeb(content.length), ...content];
  const name = (text: string): Code => [
    ...unsignedLeb(text.length),
    ...Array.from(text, (ch) => ch.charCodeAt(0)),
  ];
  const i32 = 0x7f;
  const code = [1, ...unsignedLeb(LOCALS), i32, ...roundsBody()];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 1, i32, 0]), // type: (i32) -> ()
    ...section(3, [1, 0]), // one function of that type
    ...section(5, [1, 0x00, 1]), // one memory of one page
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('rounds'), 0x00, 0]),
    ...section(10, [1, ...unsignedLeb(code.length), ...code]),
  ]);
}

/** Applies further SHA-256 rounds to a digest given as 8 big-endian words. */
export type Sha256Rounds = (state: Int32Array, count: number) => void;

/**
 * Each call runs at most this many rounds. V8 first runs a module with a quick baseline compiler
 * and switches to optimised code only between calls, so one long call would never switch.
 */
const ROUNDS_PER_CALL = 1024;

let compiled: Sha256Rounds | null | undefined;

export function sha256RoundsInWasm(): Sha256Rounds | null {
  if (compiled !== undefined) return compiled;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    const { memory, rounds } = instance.exports as {
      memory: WebAssembly.Memory;
      rounds: (n: number) => void;
    };
    const words = new Int32Array(memory.buffer, 0, 8);
    compiled = (state, count) => {
      words.set(state);
      for (let left = count; left > 0; left -= ROUNDS_PER_CALL) rounds(Math.min(left, ROUNDS_PER_CALL));
      state.set(words);
      words.fill(0);
    };
  } catch {
    compiled = null;
  }
  return compiled;
}
