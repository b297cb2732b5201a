// Column output for the rewind CLI, aligned like kubectl's tables (three spaces between columns).

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  console.log([line(header), ...rows.map(line)].join('\n'));
}
