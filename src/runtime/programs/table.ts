/** Applet name -> implementation. One line per applet; families live in their own files. */
import type { Applet } from './lib/tool.js';
import { printf } from './printf.js';
import { basename, dirname, echo, falseApplet, kill, seq, sleep, trueApplet, which, yes } from './misc.js';

export const APPLETS = new Map<string, Applet>([
  ['echo', echo],
  ['printf', printf],
  ['true', trueApplet],
  ['false', falseApplet],
  ['yes', yes],
  ['seq', seq],
  ['sleep', sleep],
  ['basename', basename],
  ['dirname', dirname],
  ['kill', kill],
  ['which', which],
]);
