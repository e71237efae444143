import { parseProtocols } from './devnet.command';

describe('poolctl devnet run --protocols', () => {
  it('reads a list of protocols, taken in turn by the farmers', () => {
    expect(parseProtocols('v1,v2')).toEqual([1, 2]);
    expect(parseProtocols('v2')).toEqual([2]);
    expect(parseProtocols(' V2 , v1 ,v2')).toEqual([2, 1, 2]);
  });

  it.each(['', 'v3', 'v1,,v2', '1,2'])('refuses %j, naming what it takes', (value) => {
    expect(() => parseProtocols(value)).toThrow(/--protocols takes v1, v2 or a list of them/);
  });
});
