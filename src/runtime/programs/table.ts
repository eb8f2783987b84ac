/** Applet name -> implementation. One line per applet; families live in their own files. */
import type { Applet } from './lib/tool.js';
import { gunzip, gzip, mount, zcat } from './archive.js';
import { tar } from './tar.js';
import { cut, sort, tr, uniq } from './columns.js';
import { cp, mv } from './copy.js';
import { chgrp, chmod, chown, ln, mkdir, rm, rmdir, touch } from './files.js';
import { dd } from './dd.js';
import { df, du } from './disk.js';
import { find } from './find.js';
import { grep } from './grep.js';
import { date, env, hostname, id, pwd, uname, whoami } from './info.js';
import { ls } from './ls.js';
import { sed } from './sed.js';
import { stat } from './stat.js';
import { test } from './test.js';
import { xargs } from './xargs.js';
import { printf } from './printf.js';
import { cat, head, tail, tee, wc } from './text.js';
import { readlink, realpath } from './links.js';
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
  ['readlink', readlink],
  ['realpath', realpath],
  ['kill', kill],
  ['which', which],
  ['cat', cat],
  ['head', head],
  ['tail', tail],
  ['wc', wc],
  ['tee', tee],
  ['ls', ls],
  ['mkdir', mkdir],
  ['rmdir', rmdir],
  ['rm', rm],
  ['touch', touch],
  ['chmod', chmod],
  ['chown', chown],
  ['chgrp', chgrp],
  ['ln', ln],
  ['cp', cp],
  ['mv', mv],
  ['grep', grep],
  ['egrep', grep],
  ['fgrep', grep],
  ['sed', sed],
  ['id', id],
  ['whoami', whoami],
  ['hostname', hostname],
  ['uname', uname],
  ['pwd', pwd],
  ['env', env],
  ['date', date],
  ['du', du],
  ['df', df],
  ['find', find],
  ['sort', sort],
  ['uniq', uniq],
  ['tr', tr],
  ['cut', cut],
  ['xargs', xargs],
  ['stat', stat],
  ['test', test],
  ['[', test],
  ['dd', dd],
  ['gzip', gzip],
  ['gunzip', gunzip],
  ['zcat', zcat],
  ['tar', tar],
  ['mount', mount],
]);
