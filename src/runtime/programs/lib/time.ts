/**
 * Time formatting in UTC (a container's default zone): ctime(3) and the
 * strftime(3) conversions `date` and `stat` use.
 */
export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number): string => String(n).padStart(2, '0');

/** "Wed Jun 30 21:49:08 1993" (no newline). */
export function ctime(ms: number): string {
  return strftime('%a %b %e %H:%M:%S %Y', ms);
}

export function strftime(fmt: string, ms: number, zone = 'UTC'): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const Y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const w = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    const k = fmt[++i]!;
    switch (k) {
      case 'a': out += DAYS[w]; break;
      case 'A': out += FULL_DAYS[w]; break;
      case 'b': case 'h': out += MONTHS[m]; break;
      case 'B': out += FULL_MONTHS[m]; break;
      case 'c': out += strftime('%a %b %e %H:%M:%S %Y', ms, zone); break;
      case 'C': out += p2(Math.floor(Y / 100)); break;
      case 'd': out += p2(day); break;
      case 'D': out += strftime('%m/%d/%y', ms, zone); break;
      case 'e': out += String(day).padStart(2, ' '); break;
      case 'F': out += strftime('%Y-%m-%d', ms, zone); break;
      case 'H': out += p2(H); break;
      case 'I': out += p2(H % 12 === 0 ? 12 : H % 12); break;
      case 'j': out += String(yday + 1).padStart(3, '0'); break;
      case 'k': out += String(H).padStart(2, ' '); break;
      case 'l': out += String(H % 12 === 0 ? 12 : H % 12).padStart(2, ' '); break;
      case 'm': out += p2(m + 1); break;
      case 'M': out += p2(M); break;
      case 'n': out += '\n'; break;
      case 'N': out += String((ms % 1000) * 1000000).padStart(9, '0'); break;
      case 'p': out += H < 12 ? 'AM' : 'PM'; break;
      case 'P': out += H < 12 ? 'am' : 'pm'; break;
      case 'r': out += strftime('%I:%M:%S %p', ms, zone); break;
      case 'R': out += strftime('%H:%M', ms, zone); break;
      case 's': out += String(Math.floor(ms / 1000)); break;
      case 'S': out += p2(S); break;
      case 't': out += '\t'; break;
      case 'T': out += strftime('%H:%M:%S', ms, zone); break;
      case 'u': out += String(w === 0 ? 7 : w); break;
      case 'w': out += String(w); break;
      case 'x': out += strftime('%m/%d/%y', ms, zone); break;
      case 'X': out += strftime('%H:%M:%S', ms, zone); break;
      case 'y': out += p2(Y % 100); break;
      case 'Y': out += String(Y); break;
      case 'z': out += '+0000'; break;
      case 'Z': out += zone; break;
      case '%': out += '%'; break;
      default: out += '%' + k;
    }
  }
  return out;
}
