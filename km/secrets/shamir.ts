// Shamir secret sharing over GF(2^8) (Shamir, "How to share a secret", CACM 1979): the KM secret
// is split into n shares, one per administrator, and any k of them rebuild it while k-1 reveal
// nothing. This is how "the required number of administrator passwords" (seed 003) is enforced
// by cryptography rather than by a counter: with fewer than k passwords the CA key cannot be
// decrypted at all.
import { randomBytes } from 'node:crypto';
import { SealmailError } from '../../core/errors.js';

export interface SecretShare {
  /** The evaluation point, 1…255. */
  x: number;
  y: Uint8Array;
}

// Log and antilog tables of GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 and generator 3.
const exp = new Uint8Array(510);
const log = new Uint8Array(256);
{
  let value = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = value;
    log[value] = i;
    value ^= (value << 1) ^ (value & 0x80 ? 0x11b : 0);
    value &= 0xff;
  }
  for (let i = 255; i < 510; i++) exp[i] = exp[i - 255] ?? 0;
}

function multiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return exp[(log[a] ?? 0) + (log[b] ?? 0)] ?? 0;
}

function divide(a: number, b: number): number {
  if (b === 0) throw new SealmailError('INTERNAL', 'division by zero in GF(256)');
  if (a === 0) return 0;
  return exp[(log[a] ?? 0) + 255 - (log[b] ?? 0)] ?? 0;
}

export function splitSecret(secret: Uint8Array, shares: number, threshold: number): SecretShare[] {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > shares || shares > 255) {
    throw new SealmailError(
      'INVALID_REQUEST',
      `cannot require ${threshold} of ${shares} administrator passwords; use 1 ≤ required ≤ the number given.`,
    );
  }
  const result = Array.from({ length: shares }, (_, i) => ({ x: i + 1, y: new Uint8Array(secret.length) }));
  for (let byte = 0; byte < secret.length; byte++) {
    // A random polynomial of degree k-1 whose constant term is the secret byte.
    const coefficients = [secret[byte] ?? 0, ...randomBytes(threshold - 1)];
    for (const share of result) {
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = multiply(y, share.x) ^ (coefficients[c] ?? 0);
      share.y[byte] = y;
    }
  }
  return result;
}

/** Lagrange interpolation at x = 0. Needs at least k distinct shares to give the right secret. */
export function combineShares(shares: readonly SecretShare[]): Uint8Array {
  const first = shares[0];
  if (!first) throw new SealmailError('INTERNAL', 'no shares to combine');
  const secret = new Uint8Array(first.y.length);
  for (let byte = 0; byte < secret.length; byte++) {
    let value = 0;
    for (const [i, share] of shares.entries()) {
      let basis = 1;
      for (const [j, other] of shares.entries()) {
        if (i !== j) basis = multiply(basis, divide(other.x, other.x ^ share.x));
      }
      value ^= multiply(share.y[byte] ?? 0, basis);
    }
    secret[byte] = value;
  }
  return secret;
}
