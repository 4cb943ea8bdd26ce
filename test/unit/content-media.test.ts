import { describe, expect, it } from 'vitest';
import { audioDataUrl, base64ByteLength, decodeBase64, downloadName, formatBytes, imageDataUrl, isBase64, MAX_PREVIEW_BYTES, missingRequired } from '../../src/app/content/media.ts';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('which inline media the page draws', () => {
  it('draws allowlisted image types from base64 only', () => {
    expect(imageDataUrl('image/png', PNG_1PX)).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(imageDataUrl('IMAGE/PNG; charset=binary', PNG_1PX)).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(imageDataUrl('image/svg+xml', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('text/html', PNG_1PX)).toBeUndefined();
    expect(imageDataUrl('image/png', 'not base64!')).toBeUndefined();
    // A MIME type cannot smuggle anything into the URL: it must be one of the list exactly.
    expect(imageDataUrl('image/png,<script>', PNG_1PX)).toBeUndefined();
  });

  it('plays allowlisted audio types', () => {
    expect(audioDataUrl('audio/wav', 'UklGRg==')).toBe('data:audio/wav;base64,UklGRg==');
    expect(audioDataUrl('video/mp4', 'UklGRg==')).toBeUndefined();
  });

  it('does not draw content past the preview limit', () => {
    const big = 'A'.repeat(Math.ceil((MAX_PREVIEW_BYTES * 4) / 3) + 8);
    expect(imageDataUrl('image/png', big)).toBeUndefined();
  });
});

describe('base64 helpers', () => {
  it('measures and decodes', () => {
    expect(base64ByteLength('')).toBe(0);
    expect(base64ByteLength('QQ==')).toBe(1);
    expect(base64ByteLength('QUI=')).toBe(2);
    expect(base64ByteLength('QUJD')).toBe(3);
    expect([...decodeBase64('QUJD')]).toEqual([65, 66, 67]);
    expect(isBase64('QUJ\nD')).toBe(true);
    expect(isBase64('QUJ')).toBe(false);
    expect(() => decodeBase64('@@@@')).toThrow('The content is not valid base64.');
  });

  it('formats sizes and file names', () => {
    expect(formatBytes(10)).toBe('10 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(downloadName('demo://logo.png')).toBe('logo.png');
    expect(downloadName('file:///a/b/../..')).toBe('resource');
    expect(downloadName('x://host/we ird<name>.bin?x=1')).toBe('we_ird_name_.bin');
  });
});

describe('structured content against its output schema', () => {
  it('names the required members that are missing', () => {
    const schema = { type: 'object', required: ['sum', 'unit'] };
    expect(missingRequired(schema, { sum: 1 })).toEqual(['unit']);
    expect(missingRequired(schema, { sum: 1, unit: 'm' })).toEqual([]);
    expect(missingRequired(schema, 'text')).toEqual(['sum', 'unit']);
    expect(missingRequired(undefined, {})).toEqual([]);
  });
});
