import 'reflect-metadata';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`poolctl: ${(error as Error).message}`);
    process.exit(1);
  });
