/** Plain-data types of uploading photos from a browser page into the project's own photos folder. */

/** One file the page intends to send: its path relative to what was dropped or chosen, and its size. */
export interface UploadFileSpec {
  /** Relative path with '/' between folders (`cats/tabby.jpg`); its folders can become classes. */
  path: string;
  size: number;
}

/** `library.uploadStart`: the files to send and whether SVG files count as photos. */
export interface UploadStartParams {
  files: UploadFileSpec[];
  allowSvg?: boolean;
}

/** A file the server will not take, and why (in words the user can act on). */
export interface UploadRefusal {
  index: number;
  path: string;
  reason: string;
}

/** The server's answer to an upload plan: which files to send, and which it refuses up front. */
export interface UploadPlan {
  uploadId: string;
  /** Indexes (into the files of the request) the page should send, in order. */
  accepted: number[];
  refused: UploadRefusal[];
  /** Bytes of the accepted files. */
  bytes: number;
  /** The project's photos folder the files land in. */
  folder: string;
  /** Largest single file and largest total one upload takes, so the page can say so. */
  limits: { fileBytes: number; totalBytes: number; files: number };
}

/** `library.uploadFile`: one accepted file's bytes as base64. */
export interface UploadFileParams {
  uploadId: string;
  index: number;
  data: string;
}

/** How a sent file was kept: written as is, under a free name beside a different file, or already there byte for byte. */
export type UploadStored = 'new' | 'renamed' | 'identical';

/** Where a sent file was kept in the photos folder. */
export interface UploadFileResult {
  path: string;
  stored: UploadStored;
}

/** The end of an upload: the folder to import and how the files were kept. */
export interface UploadFinished {
  folder: string;
  stored: Record<UploadStored, number>;
}
