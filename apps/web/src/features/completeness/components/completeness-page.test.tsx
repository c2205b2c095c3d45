import type { KitListResponse, ProtocolResponse, SchoolListResponse } from '@collector/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { click, getButton, json, render, stubApi, waitFor } from '../../../shared/test/render.tsx';
import { CompletenessPage } from './completeness-page.tsx';

const EVENT = { code: 'VPR-SPO-2026-1', title: 'ВПР СПО 2026', date: '2026-04-15', protocolDueAt: '2026-04-16T21:00:00.000Z' };
const RED = { schoolCode: 'sch771933', regionCode: '77', schoolName: '', kits: 2, total: 64, filled: 28, duplicates: 29, empty: 7, missing: 1, unrecognized: 0, protocol: 'overdue' as const };
const PLAIN = { ...RED, schoolCode: 'sch770878', total: 96, filled: 77, duplicates: 0, empty: 19, missing: 0 };
const SCHOOLS: SchoolListResponse = { event: EVENT, matched: 2, schools: [RED, PLAIN] };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KITS: KitListResponse = {
  event: EVENT,
  school: RED,
  positions: 3,
  filter: 'all',
  kits: [
    {
      kitNumber: '100001',
      slots: [
        { position: 1, blankNumber: '20031192413000011', state: 'duplicate', scanIds: [id(1), id(2)] },
        { position: 2, blankNumber: '20031192413000012', state: 'filled', scanIds: [id(3)] },
        { position: 3, blankNumber: '20031192413000013', state: 'missing', scanIds: [] },
      ],
    },
  ],
};
const PROTOCOL: ProtocolResponse = {
  eventCode: EVENT.code,
  schoolCode: RED.schoolCode,
  dueAt: EVENT.protocolDueAt,
  state: 'overdue',
  submittedAt: null,
  submittedBy: null,
  kitNumbers: ['100001'],
  entries: [],
  reconciliation: { presentComplete: [], presentMissing: [], absentScanned: [], scannedNotInProtocol: [] },
};

afterEach(() => window.history.replaceState(null, '', '/'));

describe('«Проверка комплектности сданных материалов»', () => {
  it('shows a school in the instruction’s words, red with duplicates, and its kits with «-» where a blank is missing', async () => {
    window.history.replaceState(null, '', `/completeness?event=${EVENT.code}&school=${RED.schoolCode}`);
    const filters: string[] = [];
    stubApi({
      'GET /api/regions': () => json(200, { regions: [{ code: '77', name: 'Москва' }] }),
      [`GET /api/completeness/events/${EVENT.code}/schools`]: () => json(200, SCHOOLS),
      [`GET /api/completeness/schools/${RED.schoolCode}/kits`]: ({ url }) => {
        filters.push(url.searchParams.get('filter') ?? '');
        return json(200, { ...KITS, filter: url.searchParams.get('filter') ?? 'all' });
      },
      [`GET /api/completeness/schools/${RED.schoolCode}/duplicates`]: () => json(200, { eventCode: EVENT.code, schoolCode: RED.schoolCode, groups: [] }),
      [`GET /api/completeness/schools/${RED.schoolCode}/empty`]: () => json(200, { eventCode: EVENT.code, schoolCode: RED.schoolCode, scans: [] }),
      [`GET /api/completeness/schools/${RED.schoolCode}/protocol`]: () => json(200, PROTOCOL),
    });
    const { container } = await render(<CompletenessPage />);
    await waitFor(() => expect(container.querySelectorAll('.school-row')).toHaveLength(2));
    const rows = [...container.querySelectorAll('.school-row')];
    expect(rows[0]?.querySelector('.school-row__line')?.textContent).toBe('Точка проведения: sch771933 Сканов всего: 64, правильно заполненных: 28, с дублями: 29, пустых: 7');
    expect(rows[1]?.querySelector('.school-row__line')?.textContent).toBe('Точка проведения: sch770878 Сканов всего: 96, правильно заполненных: 77, пустых: 19');
    expect(rows[0]?.classList.contains('school-row--red')).toBe(true);
    expect(rows[1]?.classList.contains('school-row--red')).toBe(false);
    // one region: no region filter
    expect(container.textContent).not.toContain('Все регионы');

    await waitFor(() => expect(container.querySelector('.kit-grid')).not.toBeNull());
    const cells = [...container.querySelectorAll('.kit-grid tbody td')].map((td) => td.textContent);
    expect(cells).toEqual(['×2', '✓', '-']);
    expect(container.querySelector('.kit-grid__cell--missing [role="img"]')?.getAttribute('aria-label')).toBe('Бланк 3, 20031192413000013: нет бланка');
    expect(container.querySelector('.kit-grid__cell--filled a')?.getAttribute('href')).toBe(`/api/scans/${id(3)}/image`);

    await click(getButton('Пустые'));
    await waitFor(() => expect(filters).toContain('empty'));
    expect(getButton('Пустые').getAttribute('aria-pressed')).toBe('true');
    expect(container.querySelector('a[download][href*="/export"]')?.getAttribute('href')).toContain(`/api/completeness/events/${EVENT.code}/export?`);
  });
});
