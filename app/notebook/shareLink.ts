import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";
import { fromFile, toFile, type Notebook } from "./model";

/**
 * Share links, as the TypeScript Playground makes them: the whole notebook,
 * compressed into the URL's fragment (`#code/<lz-string>`), so nothing is
 * sent to any server. Opening one shows the notebook; nothing runs until the
 * user clicks Run.
 */
export const SHARE_PREFIX = "#code/";

export function shareHash(nb: Notebook): string {
  return SHARE_PREFIX + compressToEncodedURIComponent(JSON.stringify(toFile(nb)));
}

/**
 * The notebook in a share fragment, or null when the fragment is not a share
 * link. Throws NotebookFormatError (or a clear Error) when it is one but is
 * damaged.
 */
export function notebookFromHash(hash: string): Notebook | null {
  if (!hash.startsWith(SHARE_PREFIX)) return null;
  const json = decompressFromEncodedURIComponent(hash.slice(SHARE_PREFIX.length));
  if (!json) throw new Error("This share link is damaged: it does not decompress.");
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error("This share link is damaged: it does not hold JSON.");
  }
  return fromFile(data);
}
