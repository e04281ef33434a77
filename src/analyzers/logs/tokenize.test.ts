import { describe, expect, it } from 'vitest';
import { compactVariables, hashKeyText, hashMaskedKey, maskedKey, maskedTokens, VAR } from './tokenize.ts';
import type { TokenizeOptions } from './tokenize.ts';

const options: TokenizeOptions = { maxTokens: 100, maskKeyValues: true };
const key = (message: string, o: TokenizeOptions = options): string => maskedKey(message, o);

describe('maskedKey', () => {
  it('masks segments holding digits: numbers, ids, IPs with ports, UUIDs, hex, versions', () => {
    expect(key('PacketResponder 1 for block blk_-38865049064139660 terminating')).toBe('PacketResponder <*> for block <*> terminating');
    expect(key('connect to 10.0.0.1:8080 failed')).toBe('connect to <*> failed');
    expect(key('instance 38101a0b-2096-447d-96ea-a692162415ae spawned')).toBe('instance <*> spawned');
    expect(key('crc 0x1f3a mismatch, mask ffffffff')).toBe('crc <*> mismatch, mask <*>');
    expect(key('jetty-6.1.26 started')).toBe('<*> started');
  });

  it('keeps names that merely contain one digit, masks numbered names and ids', () => {
    expect(key('jk2_init() Found child 6725 via log4j and Slf4jLogger on k8s')).toBe('jk2_init() Found child <*> via log4j and Slf4jLogger on k8s');
    expect(key('node12 a1b2 x86_64 deadb3ef u0 ssh2 ok')).toBe('<*> ok');
  });

  it('keeps words, short hex-looking words and punctuation', () => {
    expect(key('Registered BlockManager')).toBe('Registered BlockManager');
    expect(key('cafe added to bed')).toBe('cafe added to bed');
    expect(key('*** ok --- done!')).toBe('*** ok --- done!');
  });

  it('masks inside tokens, keeping the words around the variable', () => {
    expect(key('onExtend:1514038530000 14 0 4')).toBe('onExtend:<*> <*>');
    expect(key('bulkSave() size = 10,totalTime = 25')).toBe('bulkSave() size = <*>,totalTime = <*>');
  });

  it('collapses a run of variable tokens, so lists of any length share a key', () => {
    expect(key('ask 10.0.0.1:50010 to delete blk_1 blk_2 blk_3')).toBe('ask <*> to delete <*>');
    expect(key('ask 10.0.0.1:50010 to delete blk_1')).toBe('ask <*> to delete <*>');
  });

  it('treats paths and URLs (with query strings) as variables', () => {
    expect(key('GET /v2/servers/detail?all_tenants=True&host=a HTTP/1.1 200')).toBe('GET <*>');
    expect(maskedTokens('see (http://wiki.apache.org/x?y=1), then', options).shapes).toEqual(['see', '(<*>),', 'then']);
    expect(key('adding path spec: /mapreduce/*')).toBe('adding path spec: <*>');
    expect(key('cmp=com.tencent.mm/.plugin.WXEntryActivity ok', { ...options, maskKeyValues: false })).toBe('cmp=<*> ok');
    expect(key('read/write error')).toBe('read/write error');
  });

  it('masks a URL with its scheme as one variable', () => {
    expect(key('Input split: hdfs://10.10.34.11:9000/pjhe/test/part-00000:0+8864')).toBe('Input split: <*>');
    expect(key('listening on addresses :[akka.tcp://sparkExecutor@host:46577]')).toBe('listening on addresses <*>');
    expect(maskedTokens('addresses :[akka.tcp://sparkExecutor@host:46577]', options).shapes).toEqual(['addresses', ':[<*>]']);
  });

  it('masks key=value values, quoted ones with spaces and JSON values', () => {
    expect(key('acquire tag="View Lock", name=android, uid=1000')).toBe('acquire tag="<*>", name=<*>, uid=<*>');
    expect(key('name=android', { ...options, maskKeyValues: false })).toBe('name=android');
    expect(key('failed: {"error":"connection refused","id":123,"ok":true}')).toBe('failed: {"error":"<*>","id":<*>,"ok":<*>}');
    expect(key('status= true now')).toBe('status= <*> now');
    // A value that opens a structure is its type name: the fields inside are tokenized as usual.
    expect(key('bounds=Rect(0, 0 - 1080, 1920) headroom=<memory:2048, vCores:1>')).toBe('bounds=Rect(<*>, <*> - <*> headroom=<memory:<*>, vCores:<*>>');
  });

  it('folds units and dates into the neighbouring number', () => {
    expect(key('stored (estimated size 16.0 B, free 8.2 GB)')).toBe('stored (estimated size <*> free <*>');
    expect(key('stored (estimated size 2.3 KB, free 8.2 GB)')).toBe('stored (estimated size <*> free <*>');
    expect(key('connection at Sun Jul 24 02:38:23 2005')).toBe('connection at <*>');
    expect(key('May I help Sun Microsystems')).toBe('May I help Sun Microsystems');
  });

  it('normalises whitespace and handles empty messages', () => {
    expect(key('  a \t b   c  ')).toBe('a b c');
    expect(key('')).toBe('');
    expect(key(' \t ')).toBe('');
  });

  it('caps the token count, the rest of the message becoming one variable', () => {
    const long = Array.from({ length: 300 }, (_, i) => `w${'abcdefghij'[i % 10]}`).join(' ');
    const tokens = key(long, { maxTokens: 10, maskKeyValues: true }).split(' ');
    expect(tokens).toHaveLength(10);
    expect(tokens[9]).toBe(VAR);
    expect(key('a b c', { maxTokens: 3, maskKeyValues: true })).toBe('a b c');
  });

  it('makes a very long token (a blob) one variable', () => {
    expect(key(`payload ${'QUJD'.repeat(200)} end`)).toBe('payload <*> end');
  });
});

describe('maskedTokens', () => {
  it('keeps the shape of each variable token for rendering', () => {
    const { tokens, shapes } = maskedTokens('from /10.0.0.1:50010 size 16.0 MB, ok', options);
    expect(tokens).toEqual(['from', VAR, 'size', VAR, 'ok']);
    expect(shapes).toEqual(['from', '<*>:<*>', 'size', '<*> MB,', 'ok']);
  });

  it('shows a full stop after the last variable of a run', () => {
    expect(maskedTokens('Retrying connect to server: host-1/10.86.169.121:8030. Already tried 2 time(s)', options).shapes).toEqual(
      ['Retrying', 'connect', 'to', 'server:', '<*>:<*>.', 'Already', 'tried', '<*>', 'time(s)'],
    );
    expect(maskedTokens('allocateBlock: /user/root/part-00001. blk_-1', options).shapes).toEqual(['allocateBlock:', '<*> <*>']);
  });

  it('agrees with maskedKey token for token', () => {
    const message = 'Got exception while serving blk_1 to /10.0.0.2: java.io.IOException x=1,y=two';
    expect(maskedTokens(message, options).tokens.join(' ')).toBe(key(message));
  });
});

describe('hashMaskedKey', () => {
  // A seeded generator of messages made of the characters that steer the scanner.
  function randomMessages(count: number, seed: number): string[] {
    let state = seed;
    const next = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    const alphabet = ['a', 'B', 'f', 'x', '0', '7', ' ', ' ', '\t', '.', '-', '_', '/', '\\', ':', '=', ',', '"', "'", '(', ')', '[', '{', '<', '>', '?', '#', '*', 'µ', 'é', 'KB', 'ms', 'Jul', 'Sun'];
    return Array.from({ length: count }, () => {
      let s = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    });
  }

  it('equals the hash of the key text, without building the key', () => {
    const fromScan = new Int32Array(2);
    const fromText = new Int32Array(2);
    const messages = [
      ...randomMessages(5000, 7),
      'tag="unterminated value',
      'k="" v',
      'x=\'a b\' c',
      `${'y'.repeat(600)} z`,
      'a b c d e f g h i j k l m n o p',
    ];
    for (const o of [options, { maxTokens: 4, maskKeyValues: false }, { maxTokens: 2, maskKeyValues: true }]) {
      for (const m of messages) {
        hashMaskedKey(m, o, fromScan);
        hashKeyText(maskedKey(m, o), fromText);
        expect([fromScan[0], fromScan[1]], JSON.stringify(m)).toEqual([fromText[0], fromText[1]]);
      }
    }
  });

  it('gives different keys different hashes', () => {
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    hashMaskedKey('VM Started (Lifecycle Event)', options, a);
    hashMaskedKey('VM Stopped (Lifecycle Event)', options, b);
    expect([a[0], a[1]]).not.toEqual([b[0], b[1]]);
  });
});

describe('compactVariables', () => {
  it('renders address-like variable runs as one variable and keeps list separators', () => {
    expect(compactVariables('<*>:<*>')).toBe('<*>');
    expect(compactVariables('[<*>.<*>]')).toBe('[<*>]');
    expect(compactVariables('<*>,<*>')).toBe('<*>,<*>');
    expect(compactVariables('<*> <*>" x')).toBe('<*>" x');
    expect(compactVariables('<*> MB,')).toBe('<*> MB,');
    expect(compactVariables('plain')).toBe('plain');
  });
});
