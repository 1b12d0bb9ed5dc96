import { defineNode } from '../sdk/define-node.ts';
import { runClientIntake } from './activity.ts';
import { clientIntakeDeclaration } from './definition.ts';

export const clientIntakeNode = defineNode(clientIntakeDeclaration, runClientIntake);
