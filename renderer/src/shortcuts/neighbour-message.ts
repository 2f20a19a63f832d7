// J and K open the next or previous message of the open folder's list (newest first, as shown),
// and Delete opens the one after the deleted message, as Thunderbird and Outlook do. The list is
// fetched page by page, so a row may not be loaded yet: then there is nothing to open.
import type { MessageSummary } from '../../../core/api/types.js';

/** What these moves need of the open folder's list (state/folder-messages.svelte.ts has it). */
export interface ShownList {
  total: number;
  at(index: number): MessageSummary | undefined;
}

/** The row index of `uid` among the loaded rows, or -1. */
export function indexOfUid(list: ShownList, uid: number): number {
  for (let index = 0; index < list.total; index++) if (list.at(index)?.uid === uid) return index;
  return -1;
}

/**
 * The message `step` rows away from the open one (+1 next, -1 previous); with none open, J and K
 * both start at the top. Undefined at either end of the list, so the reader stays where it is.
 */
export function neighbourOf(
  list: ShownList,
  openUid: number | null,
  step: 1 | -1,
): MessageSummary | undefined {
  if (list.total === 0) return undefined;
  const index = openUid === null ? -1 : indexOfUid(list, openUid);
  if (index === -1) return list.at(0);
  const next = index + step;
  return next >= 0 && next < list.total ? list.at(next) : undefined;
}

/** What to show once `uid` is deleted: the message after it, else the one before, else nothing. */
export function shownAfterDeleting(list: ShownList, uid: number): MessageSummary | undefined {
  const index = indexOfUid(list, uid);
  if (index === -1) return undefined;
  return list.at(index + 1) ?? (index > 0 ? list.at(index - 1) : undefined);
}
