import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.library.ts';

export default defineConfig(libraryConfig(['index']));
