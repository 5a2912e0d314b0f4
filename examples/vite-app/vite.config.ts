import pixlock from '@pixlock/vite-plugin';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [pixlock()],
});
