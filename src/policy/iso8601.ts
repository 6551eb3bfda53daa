/**
 * Date values for the Date condition operators: "one of the W3C implementations of the
 * ISO 8601 date formats or in epoch (UNIX) time" (IAM condition operators page). W3C allows
 * YYYY, YYYY-MM, YYYY-MM-DD and YYYY-MM-DDThh:mm[:ss[.s]]TZD; a missing zone is read as UTC.
 * Epoch values are seconds. The result is milliseconds since the epoch, or NaN.
 */
const W3C =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?)?)?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function parseDate(text: string): number {
  const s = text.trim();
  if (EPOCH.test(s) && !(s.length === 4 && !s.includes('.'))) {
    // A bare 4-digit string is a W3C year; every other run of digits is epoch seconds.
    return Number(s) * 1000;
  }
  const m = W3C.exec(s);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, se, frac, , sign, tzh, tzm] = m;
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  const hour = h ? Number(h) : 0;
  const minute = mi ? Number(mi) : 0;
  const second = se ? Number(se) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  if (sign) {
    const offset = (Number(tzh) * 60 + Number(tzm)) * 60_000;
    t += sign === '+' ? -offset : offset;
  }
  // Date.UTC would roll 31 February over into March; reject days the month does not have.
  if (day > daysInMonth(Number(y), month)) return NaN;
  return t;
}
