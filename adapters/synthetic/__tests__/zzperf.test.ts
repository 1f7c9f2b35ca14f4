import { generatePopulation } from '../population';
import { generateIyssRows } from '../../iyss/seedRows';
it('perf', () => {
  for (let i = 0; i < 4; i++) {
    let t = Date.now();
    const large = generatePopulation({ seed: 5 + i, size: 20_000 });
    const a = Date.now() - t; t = Date.now();
    generateIyssRows(large, { seed: 5 });
    console.log('pop', a, 'iyss', Date.now() - t);
  }
});
