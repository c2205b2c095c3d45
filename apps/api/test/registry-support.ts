import type { FastifyInstance } from 'fastify';

export const HEADER = 'event_code,event_title,event_date,region_code,school_code,kit_number,position,blank_number';

/** 17-digit blank numbers that read as what they are in a test: blank(1) → 20031192413000001. */
export function blank(n: number): string {
  return `200311924130${String(n).padStart(5, '0')}`;
}

/** Registry rows as Excel would save them with «,» and CRLF. */
export function csv(rows: string[], header = HEADER): string {
  return [header, ...rows].join('\r\n') + '\r\n';
}

const CP1251_EXTRA: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '«': 0xab, '»': 0xbb, '№': 0xb9, '—': 0x97, '–': 0x96 };

/** Windows-1251 bytes, as Russian Excel's plain «CSV (разделители — точка с запятой)» writes them. */
export function cp1251(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0);
    else if (CP1251_EXTRA[char] !== undefined) bytes.push(CP1251_EXTRA[char]);
    else throw new Error(`no CP1251 byte for ${char}`);
  }
  return Buffer.from(bytes);
}

/** A multipart/form-data body with one `file` part, as a browser's FormData sends it. */
export function multipart(content: Buffer | string, fileName = 'registry.csv', field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----collector${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { payload: Buffer.concat([head, body, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function importCsv(app: FastifyInstance, cookie: string, content: Buffer | string, fileName?: string) {
  const { payload, headers } = multipart(content, fileName);
  return app.inject({ method: 'POST', url: '/api/registry/import', headers: { ...headers, cookie }, payload });
}
