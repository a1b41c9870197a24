/** The environment to hand to a child process: the current one with overrides (the launcher and tests use it). */
export function childEnvironment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** A variable that only the launcher and tooling read (never the API or the worker). */
export function toolingVariable(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
