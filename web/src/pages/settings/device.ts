// A short name for a browser's User-Agent ("Firefox on Linux"), for the session and
// login lists. Good enough to recognise a device, not a full parser.
const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'], [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'], [/curl\//, 'curl'], [/python/i, 'Python'], [/node/i, 'Node'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'], [/iPhone|iPad|iOS/, 'iOS'], [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux'],
];

export function device(ua: string | null | undefined): string {
  if (!ua) return 'Unknown device';
  const b = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const s = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (b && s) return `${b} on ${s}`;
  return b || s || ua.slice(0, 60);
}
