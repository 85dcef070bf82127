import { describe, expect, it } from 'vitest';
import { predictionsCsv } from './predictions-csv';

describe('predictionsCsv', () => {
  it('writes path, label, probability, then a column per class, quoting what needs it', () => {
    const csv = predictionsCsv(['cat', 'dog, big'], [
      { path: '/photos/a.jpg', top: [{ classIndex: 0, label: 'cat', probability: 0.75 }], probabilities: [0.75, 0.25], margin: 0.5, entropy: 0.56 },
      { path: '/photos/"b", 2.jpg', top: [{ classIndex: 1, label: 'dog, big', probability: 0.6000000238418579 }], probabilities: [0.3999999761581421, 0.6000000238418579], margin: 0.2, entropy: 0.67 },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'path,label,probability,cat,"dog, big"',
      '/photos/a.jpg,cat,0.75,0.75,0.25',
      '"/photos/""b"", 2.jpg","dog, big",0.600000024,0.399999976,0.600000024',
      '',
    ]);
  });
});
