/**
 * The seed's database lesson on real storage: MySQL's files land in a volume
 * (and outlive the container) or in the container's writable layer (and die
 * with it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEmulatedBinary } from '../../../../src/runtime/binary-marker.js';
import { TestHost, type TestContainer } from '../packages/container.js';

let host: TestHost;
beforeAll(() => {
  host = new TestHost();
});
afterAll(() => host.dispose());

/** The image's entrypoint as the emulated program (the catalog's copy is the bash script). */
function useEmulatedEntrypoint(c: TestContainer): void {
  c.fs.writeFile('/usr/local/bin/docker-entrypoint.sh', makeEmulatedBinary('docker-entrypoint.sh', 7620), { mode: 0o775 });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('timed out');
}

const ENV = { MYSQL_MAJOR: '5.7', MYSQL_VERSION: '5.7.44-1.el7' };

describe('mysql:5.7', () => {
  it('refuses to initialise without a password variable, with the entrypoint’s text', async () => {
    const c = await host.container('mysql', '5.7');
    useEmulatedEntrypoint(c);
    const r = await c.run(['docker-entrypoint.sh', 'mysqld'], { env: ENV });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 \[Note\] \[Entrypoint\]: Entrypoint script for MySQL Server 5\.7\.44-1\.el7 started\.\n/);
    expect(r.stdout).toContain("[Note] [Entrypoint]: Switching to dedicated user 'mysql'\n");
    expect(r.stderr).toMatch(
      /\[ERROR\] \[Entrypoint\]: Database is uninitialized and password option is not specified\n\tYou need to specify one of the following as an environment variable:\n\t- MYSQL_ROOT_PASSWORD\n\t- MYSQL_ALLOW_EMPTY_PASSWORD\n\t- MYSQL_RANDOM_ROOT_PASSWORD\n$/,
    );
  });

  it('the client without a running server: error 2002', async () => {
    const c = await host.container('mysql', '5.7');
    const r = await c.run(['mysql', '-uroot', '-psecret', '-e', 'SHOW DATABASES']);
    expect(r.stderr).toBe(
      "mysql: [Warning] Using a password on the command line interface can be insecure.\nERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)\n",
    );
    expect(r.status).toBe(1);
  });

  it('with -v data_volume:/var/lib/mysql the rows outlive the container; the layer stays small', async () => {
    const volume = host.volume('data_volume');
    const c1 = await host.container('mysql', '5.7', { volumes: { '/var/lib/mysql': volume } });
    useEmulatedEntrypoint(c1);
    const server = await c1.start(['docker-entrypoint.sh', 'mysqld'], { env: { ...ENV, MYSQL_ROOT_PASSWORD: 'secret', MYSQL_DATABASE: 'shop' } });
    await until(() => c1.fs.exists('/var/run/mysqld/mysqld.sock') && server.stdout.text().includes('Ready for start up') && server.stderr.text().includes("port: 3306"));
    expect(server.stdout.text()).toContain('[Note] [Entrypoint]: Creating database shop\n');
    expect(server.stderr.text()).toContain('[Note] mysqld: ready for connections.\n');
    expect(c1.fs.stat('/var/lib/mysql/ibdata1').size).toBe(12_582_912);
    expect(c1.fs.stat('/var/lib/mysql/ib_logfile0').size).toBe(50_331_648);
    expect(c1.fs.stat('/var/lib/mysql/ib_logfile1').size).toBe(50_331_648);
    expect(c1.fs.stat('/var/lib/mysql/ibtmp1').size).toBe(12_582_912);
    expect(c1.fs.stat('/var/lib/mysql/ibdata1').uid).toBe(999);

    const sql = "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50)); INSERT INTO items (name) VALUES ('apple'), ('pear');";
    const w = await c1.run(['mysql', '-uroot', '-psecret', 'shop', '-e', sql]);
    expect(w).toEqual({ stdout: '', stderr: 'mysql: [Warning] Using a password on the command line interface can be insecure.\n', status: 0 });
    const q = await c1.run(['mysql', '-uroot', '-psecret', '-e', 'SELECT * FROM shop.items']);
    expect(q.stdout).toBe('id\tname\n1\tapple\n2\tpear\n');
    expect(c1.fs.stat('/var/lib/mysql/shop/items.ibd').size).toBe(98_304);
    // Nothing of the database is in the container layer.
    expect(c1.size()).toBeLessThan(100_000);

    server.signal('TERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr.text()).toContain('[Note] mysqld: Shutdown complete\n');
    expect(c1.fs.exists('/var/run/mysqld/mysqld.sock')).toBe(false);
    expect(c1.fs.exists('/var/lib/mysql/ibtmp1')).toBe(false);

    // A new container on the same volume: no initialisation, the rows are there.
    const c2 = await host.container('mysql', '5.7', { volumes: { '/var/lib/mysql': volume } });
    useEmulatedEntrypoint(c2);
    const again = await c2.start(['docker-entrypoint.sh', 'mysqld'], { env: { ...ENV, MYSQL_ROOT_PASSWORD: 'ignored-now' } });
    await until(() => c2.fs.exists('/var/run/mysqld/mysqld.sock'));
    expect(again.stdout.text()).not.toContain('Initializing database files');
    const r = await c2.run(['mysql', '-uroot', '-psecret', 'shop'], { stdin: "SELECT name FROM items WHERE id = 2;\nSHOW TABLES;\n" });
    expect(r.stdout).toBe('name\npear\nTables_in_shop\nitems\n');
    const bad = await c2.run(['mysql', '-uroot', '-pwrong', '-e', 'SELECT 1']);
    expect(bad.stderr).toContain("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n");
    again.signal('TERM');
    expect(await again.exited).toBe(0);
  });

  it('without a volume the data is in the writable layer and dies with the container', async () => {
    const c1 = await host.container('mysql', '5.7');
    useEmulatedEntrypoint(c1);
    const server = await c1.start(['docker-entrypoint.sh', 'mysqld'], { env: { ...ENV, MYSQL_ALLOW_EMPTY_PASSWORD: 'yes' } });
    await until(() => c1.fs.exists('/var/run/mysqld/mysqld.sock') && server.stderr.text().includes('port: 3306'));
    const r = await c1.run(['mysql', '-e', 'CREATE DATABASE shop; CREATE TABLE shop.t (a INT); INSERT INTO shop.t VALUES (1);']);
    expect(r.status).toBe(0);
    expect(c1.size()).toBeGreaterThan(12_582_912 + 2 * 50_331_648);
    server.signal('TERM');
    await server.exited;

    const c2 = await host.container('mysql', '5.7');
    useEmulatedEntrypoint(c2);
    const s2 = await c2.start(['docker-entrypoint.sh', 'mysqld'], { env: { ...ENV, MYSQL_ALLOW_EMPTY_PASSWORD: 'yes' } });
    await until(() => c2.fs.exists('/var/run/mysqld/mysqld.sock') && s2.stderr.text().includes('port: 3306'));
    const gone = await c2.run(['mysql', '-e', 'SELECT * FROM shop.t']);
    expect(gone.stderr).toBe("ERROR 1049 (42000) at line 1: Unknown database 'shop'\n");
    expect(gone.status).toBe(1);
    const t = await c2.run(['mysql', 'nosuch']);
    expect(t.stderr).toBe("ERROR 1049 (42000): Unknown database 'nosuch'\n");
    const m = await c2.run(['mysql', '-e', 'CREATE DATABASE shop; SELECT * FROM shop.x']);
    expect(m.stderr).toBe("ERROR 1146 (42S02) at line 1: Table 'shop.x' doesn't exist\n");
    const dbs = await c2.run(['mysql', '-e', 'SHOW DATABASES'], { tty: true });
    expect(dbs.stdout).toBe(
      '+--------------------+\n| Database           |\n+--------------------+\n| information_schema |\n| mysql              |\n| performance_schema |\n| shop               |\n| sys                |\n+--------------------+\n',
    );
    s2.signal('TERM');
    await s2.exited;
  });
});
