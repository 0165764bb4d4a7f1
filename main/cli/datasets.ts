/** `gan-studio datasets list|show|delete`. */
import { StudioError } from '../errors.js';
import { studioHome } from '../runs/home.js';
import { StudioService } from '../service/studio-service.js';
import { value } from './service-call.js';
import { confirmOrRefuse, table } from './ask.js';
import { describeReport } from './import.js';
import { parseOptions } from './options.js';

const OPTIONS = { json: { type: 'boolean' }, yes: { type: 'boolean' } } as const;

export async function datasetsCommand(args: string[]): Promise<number> {
  const [sub = 'list', ...rest] = args[0]?.startsWith('-') ? ['list', ...args] : args;
  const names = rest.filter((a) => !a.startsWith('-'));
  const o = parseOptions(`datasets ${sub}`, rest.filter((a) => a.startsWith('-')), OPTIONS);
  const service = new StudioService(studioHome());
  try {
    switch (sub) {
      case 'list': {
        const all = value(await service.call('datasets.list', {}));
        if (o.json) console.log(JSON.stringify(all));
        else
          console.log(
            table(
              ['NAME', 'IMAGES', 'SIZE', 'CHANNELS', 'CLASSES', 'CREATED'],
              all.map((d) => [d.name, String(d.imageCount), `${d.size}×${d.size}`, d.channels === 1 ? 'gray' : 'RGB', d.classes.length ? String(d.classes.length) : '-', d.builtin ? 'built in' : d.createdAt.slice(0, 16).replace('T', ' ')]),
            ),
          );
        return 0;
      }
      case 'show': {
        if (names.length !== 1) throw new StudioError('datasets show: give one dataset name');
        const { cover: _cover, ...d } = value(await service.call('datasets.show', { name: names[0] }));
        if (o.json) console.log(JSON.stringify(d));
        else {
          console.log(`${d.name}: ${d.imageCount} images, ${d.size}×${d.size} ${d.channels === 1 ? 'grayscale' : 'RGB'}, from ${d.source}`);
          if (d.report) console.log(describeReport(d.report).split('\n').slice(1).join('\n'));
          else if (d.classes.length) console.log(`classes: ${d.classes.join(', ')}`);
        }
        return 0;
      }
      case 'delete': {
        if (names.length !== 1) throw new StudioError('datasets delete: give one dataset name');
        const d = value(await service.call('datasets.show', { name: names[0] }));
        if (d.builtin) throw new StudioError(`${d.name} is built in and cannot be deleted`);
        const sure = await confirmOrRefuse(o.yes, `Delete dataset "${d.name}" (${d.imageCount} images)? The source files are not touched.`, `datasets delete removes "${d.name}" for good`);
        if (!sure) return 1;
        value(await service.call('datasets.delete', { name: d.name }));
        if (o.json) console.log(JSON.stringify({ deleted: d.name }));
        else console.error(`deleted dataset "${d.name}"`);
        return 0;
      }
      default:
        throw new StudioError(`datasets: unknown subcommand "${sub}"; use list, show or delete`);
    }
  } finally {
    await service.close();
  }
}
