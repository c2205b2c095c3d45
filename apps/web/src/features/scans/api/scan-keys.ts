/** Every scans query key hangs off `['scans']`; a correction invalidates the upload's list and the scan's own keys. */
export const scanKeys = {
  all: ['scans'] as const,
  upload: (uploadId: string) => [...scanKeys.all, 'upload', uploadId] as const,
  uploadScans: (uploadId: string) => [...scanKeys.upload(uploadId), 'list'] as const,
  uploadInfo: (uploadId: string) => [...scanKeys.upload(uploadId), 'info'] as const,
  scan: (scanId: string) => [...scanKeys.all, 'scan', scanId] as const,
  suggestions: (scanId: string, version: number, prefix: string) => [...scanKeys.scan(scanId), 'suggestions', version, prefix] as const,
  numberCheck: (scanId: string, blankNumber: string) => [...scanKeys.scan(scanId), 'number-check', blankNumber] as const,
  history: (scanId: string) => [...scanKeys.scan(scanId), 'history'] as const,
};
