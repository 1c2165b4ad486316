// Splits the test files into chunks for a pool of processes: each of `slots` processes runs a chunk,
// and a process that ends takes the next chunk (scripts/run-tests.mjs). Why chunks that shrink:
// static groups, one per slot balanced by the files' known times, ended 60-80 s apart on CI, since a
// file's time under load is far from its time last run; a chunk per file would start a process per
// file (a CPU-second each to load Node, Steward's modules and PGlite's WebAssembly). So the first
// chunks take most of the work (the longest files among them, so none starts last), and the later
// ones, each smaller, even out the end ("factoring" in loop scheduling).

/**
 * @param {readonly string[]} files every file to run
 * @param {(file: string) => number} cost a file's expected time in ms
 * @param {number} slots processes at once
 * @param {{ share?: number, smallestMs?: number }} [options] the share of the remaining work each
 *   round of `slots` chunks takes (0.75), and the least work a chunk is given (30 s)
 * @returns {string[][]} chunks in the order to start them; the longest files come first
 */
export function chunksOf(files, cost, slots, { share = 0.75, smallestMs = 30_000 } = {}) {
  const ordered = [...files].sort((a, b) => cost(b) - cost(a) || (a < b ? -1 : a > b ? 1 : 0));
  let remaining = ordered.reduce((sum, f) => sum + cost(f), 0);
  const chunks = [];
  let next = 0;
  while (next < ordered.length) {
    const size = Math.max((remaining * share) / slots, smallestMs);
    // One round: `slots` chunks of about `size`, each file (longest first) into the chunk with least.
    const round = Array.from({ length: slots }, () => ({ ms: 0, files: [] }));
    while (next < ordered.length) {
      const least = round.reduce((a, b) => (b.ms < a.ms ? b : a));
      if (least.ms > 0 && least.ms + cost(ordered[next]) > size) break;
      least.files.push(ordered[next]);
      least.ms += cost(ordered[next]);
      remaining -= cost(ordered[next]);
      next += 1;
    }
    chunks.push(...round.filter((c) => c.files.length > 0).map((c) => c.files));
  }
  return chunks;
}
