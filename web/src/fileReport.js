// One file sent for a report (the certificate import, the CertSearch-style upload): the state
// such a page shows and the handler its FilePicker calls. Each call gives its own state.
import { ref } from 'vue';
import { upload } from './api.js';

/** {busy, error, report, fileName, chosen(file)}: chosen sends the file to `path` (POST, raw body). */
export function useFileReport(path) {
  const busy = ref(false);
  const error = ref('');
  const report = ref(null);
  const fileName = ref('');
  async function chosen(file) {
    busy.value = true;
    error.value = '';
    report.value = null;
    fileName.value = file.name;
    try {
      report.value = await upload(path, file);
    } catch (e) {
      error.value = e.message;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, report, fileName, chosen };
}
