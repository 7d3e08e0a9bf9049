// Whether the screen is phone-sized (below 768px, as in the header), kept up to date.
import { ref } from 'vue';

const query = window.matchMedia('(max-width: 767px)');
export const isPhone = ref(query.matches);
query.addEventListener('change', (e) => { isPhone.value = e.matches; });
