// The bandwidth is on the unit u scale (u rescaled to [0, 1]); one above 1 smooths over
// more than the whole range of u, which usually means it was given on the original scale.

/** The warning for a bandwidth above 1 on the unit u scale, or null. */
export function bandwidthWarning(h: number | undefined): string | null {
  return h !== undefined && h > 1
    ? `bandwidth ${h} is larger than 1 on the unit u scale (u is rescaled to [0, 1]): the curves are almost constant in u. Was it given on the original u scale? Divide it by the range of u`
    : null;
}
