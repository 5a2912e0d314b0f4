/** `12.3 kB`, `1.20 MB`: decimal units, as file managers show them. */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const s =
    a < 1000 ? `${a} B` : a < 1e6 ? `${(a / 1e3).toFixed(1)} kB` : `${(a / 1e6).toFixed(2)} MB`;
  return n < 0 ? `−${s}` : s;
}

/** A change in bytes with its sign: `+1.2 kB`, `−300 B`, `±0 B`. */
export function formatDelta(n: number): string {
  return n === 0 ? '±0 B' : n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}
