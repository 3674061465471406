// What the driver's `current` thread stack holds while a sync-lifted call's guest code
// runs: sync tasks have no engine thread (yet), so built-ins called there can tell.
export const SYNC_TASK = 0;
