import { InFlight } from './in-flight';

describe(InFlight.name, () => {
  it('computes once for callers asking the same thing at the same time', async () => {
    const inFlight = new InFlight<number>();
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    await expect(Promise.all([inFlight.run('a', compute), inFlight.run('a', compute)])).resolves.toEqual([42, 42]);
    expect(computed).toBe(1);
  });

  it('keeps nothing once settled, and keys apart', async () => {
    const inFlight = new InFlight<string>();
    let computed = 0;
    const compute = (v: string) => () => {
      computed += 1;
      return Promise.resolve(v);
    };
    await inFlight.run('a', compute('first'));
    await expect(inFlight.run('a', compute('second'))).resolves.toBe('second');
    await expect(inFlight.run('b', compute('other'))).resolves.toBe('other');
    expect(computed).toBe(3);
  });

  it('shares a failure with every waiting caller, then forgets it', async () => {
    const inFlight = new InFlight<number>();
    const failing = async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('database gone');
    };
    const both = [inFlight.run('a', failing), inFlight.run('a', failing)];
    for (const p of both) {
      await expect(p).rejects.toThrow('database gone');
    }
    await expect(inFlight.run('a', () => Promise.resolve(1))).resolves.toBe(1);
  });
});
