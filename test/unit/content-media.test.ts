import { describe, expect, it } from 'vitest';
import {
  audioDataUrl,
  base64ByteLength,
  decodeBase64,
  describeAnnotations,
  iconSrc,
  downloadName,
  formatBytes,
  imageDataUrl,
  isBase64,
  isPlayableAudio,
  isPreviewableImage,
  MAX_PREVIEW_BYTES,
  mediaType,
  missingRequired,
  normalizeBase64,
  prettyJson,
  previewRefusal,
  truncateText,
} from '../../src/app/content/media.ts';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('which inline images the page draws', () => {
  it('draws the allowlisted types from base64, as a data: URL of the bare type', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']) {
      expect(imageDataUrl(type, PNG_1PX)).toBe(`data:${type};base64,${PNG_1PX}`);
    }
    expect(imageDataUrl('IMAGE/PNG; charset=binary', PNG_1PX)).toBe(`data:image/png;base64,${PNG_1PX}`);
  });

  it('draws nothing else', () => {
    expect(imageDataUrl('image/svg+xml', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('text/html', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl(undefined, PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('image/png', 'not base64!')).toBeUndefined();
    // A URL is not image data: the server cannot make the page fetch anything.
    expect(imageDataUrl('image/png', 'https://tracker.example/pixel.png')).toBeUndefined();
    // A MIME type cannot smuggle anything into the URL: it must be one of the list exactly.
    expect(imageDataUrl('image/png,<script>', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('image/png;base64,AAAA#', PNG_1PX)).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(isPreviewableImage('image/svg+xml')).toBe(false);
    expect(isPreviewableImage(' Image/WebP ')).toBe(true);
  });

  it('strips whitespace and restores padding in the URL', () => {
    expect(imageDataUrl('image/png', `${PNG_1PX.slice(0, 10)}\n  ${PNG_1PX.slice(10)}`)).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(imageDataUrl('image/png', 'QUI')).toBe('data:image/png;base64,QUI=');
  });

  it('does not draw content past the preview limit', () => {
    const atLimit = 'A'.repeat((MAX_PREVIEW_BYTES / 3) * 4 + 0);
    expect(base64ByteLength(atLimit)).toBeLessThanOrEqual(MAX_PREVIEW_BYTES);
    const over = 'A'.repeat(Math.ceil((MAX_PREVIEW_BYTES * 4) / 3) + 8);
    expect(imageDataUrl('image/png', over)).toBeUndefined();
    expect(previewRefusal('image', 'image/png', over)).toMatch(/^Too large to show here \(8\.0 MB; the limit is 8\.0 MB\)\.$/);
  });

  it('says why a preview is refused: type, then size, then encoding', () => {
    expect(previewRefusal('image', 'image/png', PNG_1PX)).toBeUndefined();
    expect(previewRefusal('image', 'image/svg+xml', PNG_1PX)).toBe('Keyhole does not draw image/svg+xml.');
    expect(previewRefusal('image', undefined, PNG_1PX)).toBe('Keyhole does not draw content of no stated type.');
    expect(previewRefusal('audio', 'video/mp4', 'AAAA')).toBe('Keyhole does not play video/mp4.');
    expect(previewRefusal('image', 'image/png', '@@@@')).toBe('The server sent it in a form that is not base64.');
  });
});

describe('which inline audio the page plays', () => {
  it('plays allowlisted audio types only', () => {
    expect(audioDataUrl('audio/wav', 'UklGRg==')).toBe('data:audio/wav;base64,UklGRg==');
    expect(audioDataUrl('audio/mpeg', 'UklGRg==')).toBe('data:audio/mpeg;base64,UklGRg==');
    expect(audioDataUrl('video/mp4', 'UklGRg==')).toBeUndefined();
    expect(audioDataUrl('audio/x-unknown', 'UklGRg==')).toBeUndefined();
    expect(audioDataUrl('audio/wav', 'UklGRg=')).toBeUndefined();
    expect(isPlayableAudio('audio/ogg; codecs=opus')).toBe(true);
    expect(isPlayableAudio('image/png')).toBe(false);
  });
});

describe('base64 helpers', () => {
  it('measures without decoding', () => {
    expect(base64ByteLength('')).toBe(0);
    expect(base64ByteLength('QQ==')).toBe(1);
    expect(base64ByteLength('QUI=')).toBe(2);
    expect(base64ByteLength('QUJD')).toBe(3);
    expect(base64ByteLength('QUJD\nQUJD')).toBe(6);
    expect(base64ByteLength('QUI')).toBe(2);
    expect(base64ByteLength(PNG_1PX)).toBe(decodeBase64(PNG_1PX).length);
  });

  it('normalizes and validates', () => {
    expect(normalizeBase64(' QU\r\nJD ')).toBe('QUJD');
    expect(normalizeBase64('QQ')).toBe('QQ==');
    expect(normalizeBase64('QUI')).toBe('QUI=');
    expect(normalizeBase64('Q')).toBeUndefined();
    expect(normalizeBase64('QQ=')).toBeUndefined();
    expect(normalizeBase64('QQ===')).toBeUndefined();
    expect(normalizeBase64('QU=D')).toBeUndefined();
    expect(normalizeBase64('QU-_')).toBeUndefined();
    expect(isBase64('')).toBe(true);
    expect(isBase64('QUJ\nD')).toBe(true);
    expect(isBase64('data:image/png;base64,QUJD')).toBe(false);
  });

  it('decodes, and says clearly what is wrong when it cannot', () => {
    expect([...decodeBase64('QUJD')]).toEqual([65, 66, 67]);
    expect([...decodeBase64('QQ')]).toEqual([65]);
    expect([...decodeBase64('/w==')]).toEqual([255]);
    expect(decodeBase64('')).toEqual(new Uint8Array());
    expect(decodeBase64(PNG_1PX).slice(1, 4)).toEqual(new Uint8Array([80, 78, 71])); // "PNG"
    expect(() => decodeBase64('QU@D')).toThrow('The content is not valid base64: unexpected "@" at position 2.');
    expect(() => decodeBase64('Q')).toThrow('The content is not valid base64: its length or padding is wrong.');
    expect(() => decodeBase64('QQ===')).toThrow(/not valid base64/);
  });
});

describe('words and names for people', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(10)).toBe('10 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatBytes(-1)).toBe('? B');
  });

  it('makes safe download names', () => {
    expect(downloadName('demo://logo.png')).toBe('logo.png');
    expect(downloadName('demo://files/report.pdf?v=2#p1')).toBe('report.pdf');
    expect(downloadName('file:///a/b/../..')).toBe('resource');
    expect(downloadName('x://host/we ird<name>.bin?x=1')).toBe('we_ird_name_.bin');
    expect(downloadName('x://host/my%20file.txt')).toBe('my_file.txt');
    expect(downloadName('x://host/.bashrc')).toBe('bashrc');
    expect(downloadName('x://host/%2e%2e%2fetc%2fpasswd')).toBe('_etc_passwd');
    expect(downloadName('urn:uuid:1234', 'image/png')).toBe('uuid_1234.png');
    expect(downloadName('image', 'image/png')).toBe('image.png');
    expect(downloadName('audio', 'audio/mpeg; x=1')).toBe('audio.mp3');
    expect(downloadName('demo://logo.png', 'image/jpeg')).toBe('logo.png');
    expect(downloadName('')).toBe('resource');
    expect(downloadName(`x://h/${'a'.repeat(300)}`).length).toBe(100);
    expect(mediaType(' Text/Plain ; charset=utf-8')).toBe('text/plain');
  });

  it('describes annotations', () => {
    expect(describeAnnotations(undefined)).toBe('');
    expect(describeAnnotations({})).toBe('');
    expect(describeAnnotations({ audience: ['user'], priority: 0.8 })).toBe('For user · Priority 0.8');
    expect(describeAnnotations({ audience: ['user', 'assistant'], lastModified: '2025-01-12T15:00:58Z' })).toBe(
      'For user and assistant · Modified 2025-01-12T15:00:58Z',
    );
  });

  it('cuts long text without splitting a character', () => {
    expect(truncateText('abc', 5)).toEqual({ shown: 'abc', cut: false });
    expect(truncateText('abcdef', 3)).toEqual({ shown: 'abc', cut: true });
    expect(truncateText('ab😀cd', 3)).toEqual({ shown: 'ab', cut: true });
  });

  it('pretty-prints JSON and survives what JSON cannot hold', () => {
    expect(prettyJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson(undefined)).toBe('undefined');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(prettyJson(loop)).toMatch(/^\(not representable as JSON: /);
  });
});

describe('structured content against its output schema', () => {
  it('names the required members that are missing', () => {
    const schema = { type: 'object', required: ['sum', 'unit'] };
    expect(missingRequired(schema, { sum: 1 })).toEqual(['unit']);
    expect(missingRequired(schema, { sum: 1, unit: 'm' })).toEqual([]);
    expect(missingRequired(schema, { sum: 0, unit: null })).toEqual([]);
    expect(missingRequired(schema, 'text')).toEqual(['sum', 'unit']);
    expect(missingRequired(schema, [1, 2])).toEqual(['sum', 'unit']);
    expect(missingRequired(schema, null)).toEqual(['sum', 'unit']);
    expect(missingRequired(undefined, {})).toEqual([]);
    expect(missingRequired({ required: 'sum' }, {})).toEqual([]);
    // An inherited member is not the content's own.
    expect(missingRequired({ required: ['toString'] }, {})).toEqual(['toString']);
  });
});

describe('which server icons the page draws', () => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  it('draws a base64 data URL of a raster type, first usable entry first', () => {
    expect(iconSrc([{ src: `data:image/png;base64,${png}` }])).toBe(`data:image/png;base64,${png}`);
    expect(iconSrc([{ src: 'data:image/svg+xml;base64,PHN2Zy8+' }, { src: `data:image/png;base64,${png}` }])).toBe(`data:image/png;base64,${png}`);
  });
  it('never draws SVG, a remote URL, a non-base64 data URL, or an oversized icon', () => {
    expect(iconSrc([{ src: 'data:image/svg+xml;base64,PHN2Zy8+' }])).toBeUndefined();
    expect(iconSrc([{ src: 'data:image/svg+xml,<svg/>' }])).toBeUndefined();
    expect(iconSrc([{ src: 'https://example.com/icon.png', mimeType: 'image/png' }])).toBeUndefined();
    expect(iconSrc([{ src: `data:text/html;base64,${png}` }])).toBeUndefined();
    expect(iconSrc([{ src: `data:image/png;base64,${'A'.repeat(100_000)}` }])).toBeUndefined();
    expect(iconSrc(undefined)).toBeUndefined();
    expect(iconSrc([{ src: 42 }])).toBeUndefined();
  });
});
