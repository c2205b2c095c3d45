/** The signed-in sections, in the order the instruction lists them; each has its own URL. */
export const TABS: readonly { path: string; label: string; adminOnly?: boolean }[] = [
  { path: '/', label: 'Коллектор' },
  { path: '/uploads', label: 'Загрузка результатов' },
  { path: '/completeness', label: 'Проверка комплектности сданных материалов' },
  { path: '/registry', label: 'Реестр', adminOnly: true },
  { path: '/users', label: 'Пользователи', adminOnly: true },
];
