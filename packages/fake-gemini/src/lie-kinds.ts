/**
 * The ways an image part can lie. Its own file: the fault decider draws one, and a scripted
 * fault names one, so neither imports the other for it.
 */
export const LIE_KINDS = ['not-an-image', 'wrong-mime-type', 'truncated-image'] as const;
/** One of {@link LIE_KINDS}. */
export type LieKind = (typeof LIE_KINDS)[number];
