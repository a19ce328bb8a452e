/**
 * A D1 binding that records every statement it is asked to run, for tests that check how many
 * queries a piece of work makes. It is the real database underneath (no mock): each statement
 * is prepared on the wrapped binding and runs there.
 */
export interface CountedD1 {
  /** Pass this where the code under test takes a D1 binding. */
  d1: D1Database;
  /** The SQL of every statement prepared so far, in order. */
  statements: string[];
  /** The statements whose SQL matches `pattern`. */
  matching(pattern: RegExp): string[];
}

export function countedD1(db: D1Database): CountedD1 {
  const statements: string[] = [];
  const d1 = new Proxy(db, {
    get(target, key) {
      if (key === "prepare")
        return (sql: string) => {
          statements.push(sql);
          return target.prepare(sql);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { d1, statements, matching: (pattern) => statements.filter((s) => pattern.test(s)) };
}
