/**
 * WebSocket error frames. NO_TICKET, INVALID_PARAM (unknown type) and WRONG_FORMAT are byte for byte the
 * recorded ones (fixtures ws-error-*.json, key order included). Upbit's message texts for NO_TYPE, NO_CODES and
 * the other INVALID_PARAM cases are not on record: those messages are the simulator's own and say so.
 */
export interface WsErrorFrame {
  readonly name: string;
  readonly text: string;
}

export const NO_TICKET: WsErrorFrame = {
  name: 'NO_TICKET',
  text: '{"error":{"name":"NO_TICKET","message":"티켓이 존재하지 않거나, 유효하지 않습니다."}}',
};

export const WRONG_FORMAT: WsErrorFrame = {
  name: 'WRONG_FORMAT',
  text: '{"error":{"message":"Format 이 맞지 않습니다.","name":"WRONG_FORMAT"}}',
};

export function unsupportedType(type: string): WsErrorFrame {
  return {
    name: 'INVALID_PARAM',
    text: `{"error":{"message":${JSON.stringify(`${type} 은 지원하지 않는 타입입니다.`)},"name":"INVALID_PARAM"}}`,
  };
}

export function simulatorError(name: string, message: string): WsErrorFrame {
  return { name, text: `{"error":{"name":${JSON.stringify(name)},"message":${JSON.stringify(message)}}}` };
}

export const NO_TYPE = simulatorError('NO_TYPE', 'upbit-sim: the request has no type object (Upbit text not recorded)');
export const NO_CODES = simulatorError('NO_CODES', 'upbit-sim: a type object has no codes (Upbit text not recorded)');

export const STATUS_UP = '{"status":"UP"}';
