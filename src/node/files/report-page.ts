/**
 * Writing report.html (src/core/report/page.ts lays it out): the page's script and style are
 * bundled once per process (build/page.ts), then each page is one atomic write.
 */
import { reportPage, type PageData } from '../../core/report/page.js';
import { writeAtomic } from './report-files.js';

export const REPORT_PAGE = 'report.html';

export async function writeReportPage(file: string, title: string, data: PageData): Promise<void> {
  const { pageAssets } = await import('../../../build/page.js');
  await writeAtomic(file, reportPage({ title, data, ...(await pageAssets()) }));
}
