// Counts in messages and reports: "1 run", "3 runs".

/** "1 run", "3 runs". */
export function pluralize(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
