/**
 * A count with its noun in the right number: `plural(1, 'image')` is "1 image",
 * `plural(3, 'image')` "3 images", `plural(2, 'lock entry', 'lock entries')` "2 lock entries".
 * Every message that counts goes through it, so none says "1 images".
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
