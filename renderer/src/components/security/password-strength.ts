// How hard the key-file password is to guess, in words a person can act on. The key file is
// the only thing between a stolen laptop and the user's mail (seed 003), so the wizard asks for
// at least "fair". No package: a small estimate of guessing bits that discounts what attackers
// try first (common words, keyboard and alphabet runs, repeated characters, years), in the
// spirit of zxcvbn, and says which of those it found.

export type PasswordStrength = 'too-short' | 'weak' | 'fair' | 'good' | 'strong';

export interface PasswordEstimate {
  strength: PasswordStrength;
  /** 0-4, for the meter. */
  score: 0 | 1 | 2 | 3 | 4;
  /** Rough guessing bits, for tests and the meter's width. */
  bits: number;
  /** What lowers the estimate and how to do better, one sentence each. */
  advice: string[];
  /** "fair" or better: what the wizard requires. */
  acceptable: boolean;
}

export const minimumLength = 8;

/** Words and fragments that guessing lists try first (lower case, longest match wins). */
const commonWords = [
  'password',
  'passwort',
  'sealmail',
  'qwertz',
  'qwerty',
  'azerty',
  'letmein',
  'welcome',
  'admin',
  'login',
  'iloveyou',
  'monkey',
  'dragon',
  'master',
  'secret',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'shadow',
  'superman',
  'trustno1',
  'hello',
  'freedom',
  'summer',
  'winter',
  'spring',
  'autumn',
  'january',
  'february',
  'march',
  'april',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'friday',
  'changeme',
  'default',
  'test',
  'mail',
  'pass',
  'love',
  'abc',
].sort((a, b) => b.length - a.length);

const keyboardRows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'qwertzuiop', 'yxcvbnm'];

/** Bits for a guessed dictionary word: a list of some thousands of words, with case variants. */
const wordBits = 11;
/** Bits for a year such as 1987 or 2026: about two hundred likely values. */
const yearBits = 7.5;

function poolSize(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[ -/:-@[-`{-~]/.test(password)) pool += 33;
  if (/[^\x20-\x7e]/.test(password)) pool += 100;
  return Math.max(pool, 1);
}

function classCount(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
}

/** Length of the run of one character starting at `i`. */
function repeatRun(text: string, i: number): number {
  let end = i + 1;
  while (end < text.length && text[end] === text[i]) end++;
  return end - i;
}

/** Length of an alphabet/digit run ("abcd", "4321") or keyboard run ("qwer") starting at `i`. */
function sequenceRun(lower: string, i: number): number {
  let best = 1;
  for (const step of [1, -1]) {
    let end = i + 1;
    while (end < lower.length && lower.charCodeAt(end) - lower.charCodeAt(end - 1) === step) end++;
    best = Math.max(best, end - i);
  }
  for (const row of keyboardRows) {
    for (const line of [row, [...row].reverse().join('')]) {
      let length = 0;
      while (i + length < lower.length && line.includes(lower.slice(i, i + length + 1))) length++;
      best = Math.max(best, length);
    }
  }
  return best;
}

export function estimatePasswordStrength(
  password: string,
  personal: readonly string[] = [],
): PasswordEstimate {
  const lower = password.toLowerCase();
  const charBits = Math.log2(poolSize(password));
  const words = [
    ...personal.map((word) => word.toLowerCase()).filter((word) => word.length >= 3),
    ...commonWords,
  ];
  const found = { words: new Set<string>(), sequences: new Set<string>(), repeats: new Set<string>() };
  let years = false;
  let bits = 0;
  let i = 0;
  while (i < password.length) {
    const word = words.find((candidate) => lower.startsWith(candidate, i));
    const repeat = repeatRun(password, i);
    const sequence = sequenceRun(lower, i);
    const year = /^(19|20)\d\d/.exec(password.slice(i));
    if (word) {
      found.words.add(word);
      bits += wordBits;
      i += word.length;
    } else if (year) {
      years = true;
      bits += yearBits;
      i += 4;
    } else if (repeat >= 3) {
      found.repeats.add(password.slice(i, i + repeat));
      bits += charBits + Math.log2(repeat);
      i += repeat;
    } else if (sequence >= 3) {
      found.sequences.add(password.slice(i, i + sequence));
      bits += charBits + Math.log2(sequence);
      i += sequence;
    } else {
      bits += charBits;
      i += 1;
    }
  }
  bits = Math.round(bits);

  const advice: string[] = [];
  for (const word of found.words)
    advice.push(`"${word}" is one of the first things an attacker tries, so it adds little.`);
  for (const sequence of found.sequences)
    advice.push(`"${sequence}" is a run along the alphabet or keyboard, so it adds little.`);
  for (const repeat of found.repeats) advice.push(`"${repeat}" repeats one character, so it adds little.`);
  if (years) advice.push('Years and dates are easy to guess.');
  if (password.length < 12)
    advice.push(
      'Longer is stronger: a few unrelated words make a password that is long and easy to remember.',
    );
  else if (classCount(password) < 2 && bits < 60)
    advice.push('Mix in capital letters, digits or symbols, or add another word.');

  let strength: PasswordStrength;
  if (password.length < minimumLength) strength = 'too-short';
  else if (bits < 40) strength = 'weak';
  else if (bits < 60) strength = 'fair';
  else if (bits < 80) strength = 'good';
  else strength = 'strong';
  const score = ({ 'too-short': 0, weak: 1, fair: 2, good: 3, strong: 4 } as const)[strength];
  if (strength === 'too-short')
    advice.unshift(`Use at least ${minimumLength} characters (${password.length} so far).`);
  return { strength, score, bits, advice, acceptable: score >= 2 };
}

/** The meter's label. */
export const strengthInWords: Record<PasswordStrength, string> = {
  'too-short': 'Too short',
  weak: 'Weak',
  fair: 'Fair',
  good: 'Good',
  strong: 'Strong',
};
