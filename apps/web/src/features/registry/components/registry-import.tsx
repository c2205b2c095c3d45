import { describeRegistryRowError, REGISTRY_COLUMNS } from '@collector/contracts';
import type { RegistryImportResponse } from '@collector/contracts';
import { useId, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { errorMessage, isApiError } from '../../../shared/api/api-error.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { useImportRegistry } from '../api/import-registry.ts';

const countFormat = new Intl.NumberFormat('ru-RU');
const n = (value: number) => countFormat.format(value);

/** Excel's own formats are the usual wrong file: say how to get a CSV out of them. */
function localProblem(file: File): string | null {
  if (/\.(xlsx|xlsm|xls|ods)$/i.test(file.name)) {
    return `«${file.name}» — файл Excel. Сохраните его как «CSV UTF-8 (разделитель — запятая)» или «CSV (разделители — точки с запятой)» и загрузите CSV-файл.`;
  }
  if (file.size === 0) return `Файл «${file.name}» пуст.`;
  return null;
}

export function RegistryImport() {
  const titleId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const depth = useRef(0);
  const [dragging, setDragging] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const importing = useImportRegistry();

  const take = (file: File | undefined) => {
    if (file === undefined || importing.isPending) return;
    const problem = localProblem(file);
    setLocalError(problem);
    importing.reset();
    if (problem === null) importing.mutate(file);
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    take(event.dataTransfer.files[0]);
  };

  return (
    <section
      className={dragging ? 'panel registry-import registry-import--dragging' : 'panel registry-import'}
      aria-labelledby={titleId}
      onDragEnter={(event) => {
        event.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(event) => event.preventDefault()}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="registry-dropzone"
    >
      <h2 className="panel__title" id={titleId}>
        Загрузка реестра
      </h2>
      <div className="registry-import__zone">
        <p className="registry-import__text">
          {dragging ? 'Отпустите файл, чтобы загрузить реестр' : 'Перетащите сюда CSV-файл реестра или'}
        </p>
        <input
          ref={input}
          className="visually-hidden"
          type="file"
          accept=".csv,text/csv,text/plain"
          id={`${titleId}-file`}
          aria-label="CSV-файл реестра"
          aria-describedby={hintId}
          tabIndex={-1}
          onChange={(event) => {
            take(event.currentTarget.files?.[0]);
            event.currentTarget.value = '';
          }}
        />
        <Button variant="primary" busy={importing.isPending} busyLabel="Загружаем реестр…" onClick={() => input.current?.click()} aria-describedby={hintId}>
          Выберите CSV-файл
        </Button>
      </div>
      <p className="field__hint" id={hintId}>
        Первая строка — заголовок со столбцами {REGISTRY_COLUMNS.join(', ')} в любом порядке. Кодировка UTF-8 или Windows-1251, разделитель
        «,» или «;» — как сохраняет Excel; даты 2026-04-15 или 15.04.2026. Файл загружается целиком или не загружается совсем: при
        ошибке хотя бы в одной строке реестр не меняется. Повторная загрузка того же файла ничего не меняет.
      </p>

      {importing.isPending ? (
        <p className="muted" role="status">
          Загружаем реестр из файла «{importing.variables.name}»… Большой файл проверяется до минуты.
        </p>
      ) : null}
      {localError === null ? null : <Alert tone="error">{localError}</Alert>}
      {importing.isSuccess ? <ImportSummary summary={importing.data} /> : null}
      {importing.isError ? <ImportFailure error={importing.error} fileName={importing.variables.name} /> : null}
    </section>
  );
}

function ImportSummary({ summary }: { summary: RegistryImportResponse }) {
  const rows: [string, { created: number; unchanged: number; updated?: number }][] = [
    ['Мероприятия', summary.events],
    ['Точки проведения', summary.schools],
    ['Комплекты', summary.kits],
    ['Бланки', summary.blanks],
    ['Регионы', summary.regions],
  ];
  const nothingNew = rows.every(([, counts]) => counts.created === 0 && (counts.updated ?? 0) === 0);
  return (
    <Alert tone="success" title={`Реестр загружен из файла «${summary.fileName}»`}>
      <p>
        Строк в файле: {n(summary.rows)} ({summary.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1251'}, разделитель «{summary.delimiter}»).
        {nothingNew ? ' Всё это уже было в реестре — ничего не изменилось.' : ''}
      </p>
      <div className="table-scroll registry-counts" role="region" aria-label="Итог загрузки реестра" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Что</th>
              <th scope="col" className="registry-num">
                Новых
              </th>
              <th scope="col" className="registry-num">
                Без изменений
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, counts]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="registry-num">{n(counts.created)}</td>
                <td className="registry-num">
                  {n(counts.unchanged)}
                  {counts.updated ? ` (ещё ${n(counts.updated)} дополнено страницами)` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Alert>
  );
}

function ImportFailure({ error, fileName }: { error: unknown; fileName: string }) {
  if (!isApiError(error, 'registry_invalid')) {
    return <Alert tone="error" title={`Файл «${fileName}» не загружен`}>{errorMessage(error)}</Alert>;
  }
  const rows = error.fieldErrors.map((row) =>
    describeRegistryRowError({ line: row.line ?? 0, column: row.column ?? '', value: row.value ?? '', message: row.message }),
  );
  return (
    <Alert tone="error" title={error.title}>
      <p>
        Файл «{fileName}». {error.detail}
      </p>
      <ol className="registry-report" aria-label="Ошибки в файле реестра">
        {rows.map((row, index) => (
          <li key={index}>{row}</li>
        ))}
      </ol>
    </Alert>
  );
}
