// A browser's User-Agent as an operator reads it: "Chrome 126" on "Windows". The order of the checks
// matters: Edge, Opera and Yandex Browser also call themselves Chrome, and Chrome calls itself Safari.
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Yandex Browser', /YaBrowser\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Windows', /Windows NT/],
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['macOS', /Mac OS X|Macintosh/],
  ['ChromeOS', /CrOS/],
  ['Linux', /Linux/],
];

/** "Chrome 126", or null when the browser is not one of the known ones. */
export function describeBrowser(userAgent: string): string | null {
  return (
    BROWSERS.map(([name, pattern]) => {
      const match = pattern.exec(userAgent);
      return match ? `${name} ${match[1]}` : null;
    }).find((found) => found !== null) ?? null
  );
}

/** "Windows", or null when the system is not one of the known ones. */
export function describeSystem(userAgent: string): string | null {
  return SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? null;
}
