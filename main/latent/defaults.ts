/** Projection's and the encoder's defaults, apart from their code so that the contract and the CLI's help read them without loading tensors. */
export const PROJECT_STEPS = 100;
export const PROJECT_STARTS = 4;
export const ENCODER_STEPS = 1500;
