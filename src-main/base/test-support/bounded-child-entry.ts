/** The child side of runBounded: imports the module, calls the function, prints how it ended. */
export {};
const [modulePath, exportName, argsJson] = process.argv.slice(2);

function report(outcome: object): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`\n@@outcome ${JSON.stringify({ ...outcome, maxRssMb })}\n`, () => process.exit(0));
}

try {
  const mod = (await import(modulePath!)) as Record<string, (...args: unknown[]) => unknown>;
  const fn = mod[exportName!];
  if (typeof fn !== 'function') throw new Error(`${modulePath} has no function ${exportName}`);
  const value = await fn(...(JSON.parse(argsJson ?? '[]') as unknown[]));
  report({ value: value ?? null });
} catch (error) {
  const e = error as { name?: string; code?: string; message?: string };
  report({ error: { name: e?.name ?? 'Error', code: e?.code, message: e?.message ?? String(error) } });
}
