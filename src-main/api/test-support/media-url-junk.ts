/**
 * Media URL tails (`<kind>/<id>` and the query) that both transports must refuse: sizes that are
 * not plain digits or out of range, ids that are not plain digits, paths, extra parameters.
 */
export const JUNK_MEDIA_TARGETS: readonly (readonly [target: string, query: string])[] = [
  ['thumb/42', '?size=1e3'],
  ['thumb/42', '?size=0x100'],
  ['thumb/42', '?size=+256'],
  ['thumb/42', '?size=%20256'],
  ['thumb/42', '?size=256.0'],
  ['thumb/42', '?size=0256'],
  ['thumb/42', '?size='],
  ['thumb/42', '?size=99999'],
  ['thumb/42', '?size=15'],
  ['thumb/42', '?size=1025'],
  ['thumb/42', '?size=256&size=128'],
  ['thumb/42', '?size=256&path=/etc/passwd'],
  ['original/42', '?size=256'],
  ['original/1e3', ''],
  ['original/0', ''],
  ['original/042', ''],
  ['original/-1', ''],
  ['original/1.5', ''],
  ['original/1234567890123456', ''],
  ['original/%34%32', ''],
  ['original/..%2f..%2fetc%2fpasswd', ''],
  ['original/42/extra', ''],
  ['original/', ''],
  ['secrets/42', ''],
  ['Thumb/42', ''],
];
