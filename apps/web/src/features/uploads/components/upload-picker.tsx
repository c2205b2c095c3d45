import { useEffect, useId, useRef, useState } from 'react';
import type { DragEvent, RefObject } from 'react';
import { SelectField } from '../../../shared/ui/select-field.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import type { Region } from '@collector/contracts';
import type { ScannedFolder } from '../utils/plan-folder-archives.ts';
import { foldersFromDirectoryInput, readDroppedItems } from '../utils/read-dropped-items.ts';

export type PickedFiles = { files: File[]; folders: ScannedFolder[]; password: string };

type UploadPickerProps = {
  onPick: (picked: PickedFiles) => void;
  /** admins choose the region of what they upload; null for everyone else */
  regionChoice: {
    regions: readonly Region[] | null;
    value: string;
    onChange: (code: string) => void;
    error: string | undefined;
    selectRef: RefObject<HTMLSelectElement | null>;
    inputRef: RefObject<HTMLInputElement | null>;
  } | null;
};

/**
 * Step 2 of the instruction: «Выберите файл размером до 250 МБ» with the password beside it. Several
 * archives, or a whole scanned folder, can also be dropped onto the panel.
 */
export function UploadPicker({ onPick, regionChoice }: UploadPickerProps) {
  const titleId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  // React has no prop for it; Chromium, Firefox and Safari all read the attribute.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    void readDroppedItems(event.dataTransfer).then(({ files, folders }) => {
      if (files.length > 0 || folders.length > 0) onPick({ files, folders, password });
    });
  };

  return (
    <section
      className={dragging ? 'panel upload-form upload-form--dragging' : 'panel upload-form'}
      aria-labelledby={titleId}
      onDragEnter={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        depth.current += 1;
        setDragging(true);
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="upload-drop-zone"
    >
      <h2 id={titleId} className="panel__title">
        Отправка архивов
      </h2>
      {regionChoice === null ? null : regionChoice.regions === null ? (
        <div className="upload-form__region">
          <TextField
            ref={regionChoice.inputRef}
            label="Регион загрузки (код)"
            inputMode="numeric"
            value={regionChoice.value}
            error={regionChoice.error}
            onChange={(event) => regionChoice.onChange(event.target.value.trim())}
          />
        </div>
      ) : (
        <div className="upload-form__region">
          <SelectField
            ref={regionChoice.selectRef}
            label="Регион загрузки"
            value={regionChoice.value}
            error={regionChoice.error}
            onChange={(event) => regionChoice.onChange(event.target.value)}
            options={[
              { value: '', label: 'Выберите регион' },
              ...regionChoice.regions.map((region) => ({ value: region.code, label: region.name === '' ? region.code : `${region.code} — ${region.name}` })),
            ]}
          />
        </div>
      )}
      <div className="upload-form__row">
        <div className="upload-form__pick">
          <Button variant="primary" onClick={() => fileInput.current?.click()}>
            Выберите файл размером до 250 МБ
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip,application/x-zip-compressed"
            multiple
            hidden
            aria-label="ZIP-архивы со сканами"
            data-testid="archive-input"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              if (files.length > 0) onPick({ files, folders: [], password });
            }}
          />
        </div>
        <div className="upload-form__password">
          <TextField
            label="Пароль архива (если есть)"
            type="password"
            autoComplete="off"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
      </div>
      <div className="dropzone">
        <p className="dropzone__text">
          {dragging
            ? 'Отпустите файлы, чтобы добавить их в очередь'
            : 'Можно перетащить сюда сразу несколько ZIP-архивов — они отправятся по очереди. Или папку со сканами: браузер сам заархивирует её в ZIP по аудиториям, частями до 250 МБ.'}
        </p>
        <Button onClick={() => folderInput.current?.click()}>Выбрать папку</Button>
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          aria-label="Папка со сканами"
          data-testid="folder-input"
          onChange={(event) => {
            const folders = foldersFromDirectoryInput([...(event.target.files ?? [])]);
            event.target.value = '';
            if (folders.length > 0) onPick({ files: [], folders, password });
          }}
        />
      </div>
    </section>
  );
}
