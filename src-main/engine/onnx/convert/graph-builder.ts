import type { onnx as Proto } from 'onnx-proto';
import { IR_VERSION, OPSET, onnx } from './onnx-proto';

/** One attribute of an ONNX node, built by the `attr` helpers so ints and floats stay apart. */
export type Attribute = Proto.IAttributeProto;

/** Typed constructors for node attributes (JavaScript numbers do not say int or float). */
export const attr = {
  int: (name: string, value: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value }),
  ints: (name: string, values: readonly number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] }),
  float: (name: string, value: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value }),
};

/** A weight or constant of the graph; `data` may still be changed (BatchNorm folding) until the graph is written. */
export interface Initializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A node as recorded; `inputs` may still grow (a folded BatchNorm gives a convolution its bias). */
export interface NodeRecord {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
}

/** A graph input or output: a name, its shape (strings are symbolic dimensions, e.g. the batch). */
export interface ValueInfo {
  name: string;
  dims: (number | string)[];
}

/** Collects nodes and initializers with unique names and writes them as an ONNX ModelProto. */
export class GraphBuilder {
  readonly nodes: NodeRecord[] = [];
  private readonly initializers = new Map<string, Initializer>();
  private readonly used = new Set<string>();

  /** A name not used yet in this graph, derived from `base` (Keras names are kept where possible). */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Marks a name as taken (the graph input) so nothing else gets it. */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`ONNX value name "${name}" is already used.`);
    this.used.add(name);
  }

  /** Adds a float32 initializer and returns its name. */
  addFloats(base: string, dims: number[], data: Float32Array): Initializer {
    return this.addInitializer(base, dims, data);
  }

  /** Adds an int64 initializer (shapes, pads) and returns its name. */
  addInt64s(base: string, values: readonly number[]): Initializer {
    return this.addInitializer(base, [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** Adds a float32 scalar initializer (Clip bounds, Rescaling factors). */
  addScalar(base: string, value: number): Initializer {
    return this.addInitializer(base, [], Float32Array.of(value));
  }

  /** The initializer of that name, if the value is one (its dims and data). */
  constant(name: string): Initializer | undefined {
    return this.initializers.get(name);
  }

  /** Every initializer, in insertion order. */
  constants(): Initializer[] {
    return [...this.initializers.values()];
  }

  /** Adds a node; output names are made unique from `outputBase` unless given in full. */
  addNode(op: string, inputs: string[], outputBase: string, attributes: Attribute[] = []): NodeRecord {
    const output = this.uniqueName(outputBase);
    const node: NodeRecord = { op, name: output, inputs, outputs: [output], attributes };
    this.nodes.push(node);
    return node;
  }

  /** Runs `build` and moves the nodes it adds to just before `target`, so `target` can read what they make. */
  insertBefore<T>(target: NodeRecord, build: () => T): T {
    const start = this.nodes.length;
    const result = build();
    const added = this.nodes.splice(start);
    this.nodes.splice(this.nodes.indexOf(target), 0, ...added);
    return result;
  }

  /** Adds a node whose single output has exactly the name given (graph outputs). */
  addNodeNamed(op: string, inputs: string[], output: string, attributes: Attribute[] = []): NodeRecord {
    this.reserve(output);
    const node: NodeRecord = { op, name: output, inputs, outputs: [output], attributes };
    this.nodes.push(node);
    return node;
  }

  /** Serialises the graph as an ONNX model (opset 17) with one float32 input and the outputs given. */
  toBytes(inputs: ValueInfo[], outputs: ValueInfo[], graphName: string, docString = ''): Uint8Array {
    const model: Proto.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'graft',
      producerVersion: '1',
      docString,
      graph: {
        name: graphName,
        node: this.nodes.map((n) => ({ opType: n.op, name: n.name, input: n.inputs, output: n.outputs, attribute: n.attributes })),
        initializer: [...this.initializers.values()].map(toTensorProto),
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }

  private addInitializer(base: string, dims: number[], data: Float32Array | BigInt64Array): Initializer {
    const init: Initializer = { name: this.uniqueName(base), dims, data };
    this.initializers.set(init.name, init);
    return init;
  }
}

function toTensorProto(init: Initializer): Proto.ITensorProto {
  const dataType = init.data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64;
  // raw_data is little-endian by the ONNX spec, which is every platform Node ships for.
  const rawData = new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength);
  return { name: init.name, dims: init.dims, dataType, rawData };
}

function valueInfo(info: ValueInfo): Proto.IValueInfoProto {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: info.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
