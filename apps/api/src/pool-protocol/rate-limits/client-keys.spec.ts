import { addressKey, launcherIdOf } from './client-keys';

describe('addressKey', () => {
  it('keeps IPv4 as it is and reads IPv4-mapped IPv6 as IPv4', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /64 network, whatever the spelling', () => {
    const key = '2001:db8:0:12::/64';
    expect(addressKey('2001:db8::12:0:0:0:1')).toBe(key);
    expect(addressKey('2001:0DB8:0000:0012:ffff:1:2:3')).toBe(key);
    expect(addressKey('2001:db8:0:12::abcd%eth0')).toBe(key);
    expect(addressKey('2001:db8:0:13::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves what is not an address as it is', () => {
    expect(addressKey('1:2:3')).toBe('1:2:3');
  });
});

describe('launcherIdOf', () => {
  const id = 'AB'.repeat(32);
  it('finds the launcher id in the query, the payload or the body, lower case without 0x', () => {
    expect(launcherIdOf({ query: { launcher_id: `0x${id}` } })).toBe(id.toLowerCase());
    expect(launcherIdOf({ body: { payload: { launcher_id: id } } })).toBe(id.toLowerCase());
    expect(launcherIdOf({ body: { launcher_id: id } })).toBe(id.toLowerCase());
  });

  it('ignores anything that is not a well-formed 32-byte id, arrays and inherited properties', () => {
    for (const request of [
      { query: { launcher_id: 'zz' } },
      { query: { launcher_id: [id, id] } },
      { body: { payload: [{ launcher_id: id }] } },
      { body: Object.create({ launcher_id: id }) as unknown },
      { body: 'launcher_id' },
      { body: null },
      {},
    ]) {
      expect(launcherIdOf(request)).toBeUndefined();
    }
  });
});
