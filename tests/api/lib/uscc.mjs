// Unified social credit codes (GB 32100-2015), computed independently of the server so the
// registry tests can make valid codes and codes that fail exactly one rule (DOMAIN.md,
// "Identifiers and codes"). Not a test file: node --test only runs *.test.mjs.

export const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The check character of an 8-character organisation code body (GB 11714: A = 10 … Z = 35). */
export function orgCheck(eight) {
  if (eight.length !== 8) throw new Error('orgCheck wants 8 characters: ' + eight);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = eight[i];
    const v = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65 + 10;
    sum += v * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** The final (18th) check character over the first 17 characters. */
export function finalCheck(seventeen) {
  if (seventeen.length !== 17) throw new Error('finalCheck wants 17 characters: ' + seventeen);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(seventeen[i]);
    if (v < 0) throw new Error(`character ${seventeen[i]} is outside the alphabet`);
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** A full valid code from its first 16 characters (department, category, region, organisation code body). */
export function complete(sixteen) {
  if (sixteen.length !== 16) throw new Error('complete wants 16 characters: ' + sixteen);
  const seventeen = sixteen + orgCheck(sixteen.slice(8, 16));
  return seventeen + finalCheck(seventeen);
}

/** True when both check characters of an 18-character code are right. */
export function checksAgree(code) {
  return code.length === 18 && orgCheck(code.slice(8, 16)) === code[16] && finalCheck(code.slice(0, 17)) === code[17];
}

/**
 * A valid enterprise code (department 9, category 1) in `region` (6 digits), unique per `serial`.
 * Serials are mapped to 8-digit organisation bodies starting at 8xxxxxxx so that they do not meet
 * the demo data's (3xxxxxxx for enterprises, 71xxxxxx for bodies).
 */
export function makeCode(region, serial) {
  const body = String(80000000 + serial).padStart(8, '0');
  return complete('91' + region + body);
}

/** `code` with its final character replaced by a wrong one of the alphabet. */
export function withWrongFinal(code) {
  const good = finalCheck(code.slice(0, 17));
  const wrong = ALPHABET[(ALPHABET.indexOf(good) + 1) % 31];
  return code.slice(0, 17) + wrong;
}

/** `code` with a wrong organisation check character (position 17) but a final check that fits it. */
export function withWrongOrgCheck(code) {
  const good = orgCheck(code.slice(8, 16));
  const wrong = good === '1' ? '2' : '1';
  const seventeen = code.slice(0, 16) + wrong;
  return seventeen + finalCheck(seventeen);
}
