import { closest, distance } from 'fastest-levenshtein';
/** The candidate closest to `word` when it is a plausible typo of it, for "did you mean" hints. */
export function didYouMean(word, candidates) {
    if (candidates.length === 0)
        return undefined;
    const best = closest(word.toLowerCase(), candidates.map((c) => c.toLowerCase()));
    const index = candidates.findIndex((c) => c.toLowerCase() === best);
    const limit = Math.max(2, Math.floor(word.length / 3));
    return distance(word.toLowerCase(), best) <= limit ? candidates[index] : undefined;
}
