import React from 'react';
import { render, Text, useInput } from 'ink';
function Hello() { useInput(() => {}); return <Text>Hello, world</Text>; }
render(<Hello />);
