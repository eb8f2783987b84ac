import type { CommandGroup } from '../command.js';

export const commands: CommandGroup = {};
