/** Messages between a training run and its evaluation worker. */
import type { Evaluation } from './evaluation.js';

export interface EvaluationRequest {
  home: string;
  dataset: string;
  step: number;
  checkpoint: string;
}

export type EvaluatorReply =
  | { type: 'result'; evaluation: Evaluation }
  | { type: 'note'; message: string }
  | { type: 'failed'; step: number; message: string };
