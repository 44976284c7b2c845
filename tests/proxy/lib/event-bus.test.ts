import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { EventBus } from '../../../src-proxy/lib/event-bus.js';

interface Events {
  count: number;
  name: { first: string };
}

describe('EventBus', () => {
  it('delivers typed payloads to the listeners of one event only', () => {
    const bus = new EventBus<Events>();
    const counts: number[] = [];
    const names: string[] = [];
    bus.on('count', (n) => {
      expectTypeOf(n).toEqualTypeOf<number>();
      counts.push(n);
    });
    bus.on('name', (p) => names.push(p.first));
    bus.emit('count', 1);
    bus.emit('name', { first: 'x' });
    expect(counts).toEqual([1]);
    expect(names).toEqual(['x']);
    // @ts-expect-error the payload type is checked
    bus.emit('count', 'one');
  });

  it('stops delivering after unsubscribe, per subscription', () => {
    const bus = new EventBus<Events>();
    const fn = vi.fn();
    const offFirst = bus.on('count', fn);
    bus.on('count', fn);
    offFirst();
    offFirst();
    bus.emit('count', 1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount('count')).toBe(1);
  });

  it('isolates a throwing listener from emit and from the other listeners', () => {
    const errors: [unknown, string][] = [];
    const bus = new EventBus<Events>({ onListenerError: (error, event) => errors.push([error, event]) });
    const before = vi.fn();
    const after = vi.fn();
    bus.on('count', before);
    bus.on('count', () => {
      throw new Error('broken listener');
    });
    bus.on('count', after);

    expect(() => bus.emit('count', 7)).not.toThrow();
    expect(before).toHaveBeenCalledWith(7);
    expect(after).toHaveBeenCalledWith(7);
    expect(errors).toHaveLength(1);
    expect(errors[0]![1]).toBe('count');
    expect((errors[0]![0] as Error).message).toBe('broken listener');
  });

  it('survives an error handler that throws too, and reports to stderr by default', () => {
    const throwing = new EventBus<Events>({
      onListenerError: () => {
        throw new Error('handler broken');
      },
    });
    throwing.on('count', () => {
      throw new Error('listener broken');
    });
    expect(() => throwing.emit('count', 1)).not.toThrow();

    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const plain = new EventBus<Events>();
    plain.on('count', () => {
      throw new Error('listener broken');
    });
    plain.emit('count', 1);
    // Without a handler of its own, the bus reports through Node's warning channel.
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ message: 'listener broken' });
    warn.mockRestore();
  });

  it('lets listeners unsubscribe during an emit without skipping the others', () => {
    const bus = new EventBus<Events>();
    const calls: string[] = [];
    const offA = bus.on('count', () => {
      calls.push('a');
      offA();
    });
    bus.on('count', () => calls.push('b'));
    bus.emit('count', 1);
    bus.emit('count', 2);
    expect(calls).toEqual(['a', 'b', 'b']);
  });
});
