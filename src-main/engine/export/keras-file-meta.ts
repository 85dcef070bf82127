/** Optional details recorded in a Keras file. */
export interface KerasFileMeta {
  /** The save time written into the file (default: now). */
  savedAt?: Date;
  /** The model's name inside the file (default: the tfjs model's name). */
  name?: string;
}

/** What a Keras writer wrote. */
export interface KerasWriteResult {
  file: string;
  bytes: number;
  /** Layers in the file (input layer included). */
  layers: number;
  /** Weight arrays written. */
  weights: number;
}
